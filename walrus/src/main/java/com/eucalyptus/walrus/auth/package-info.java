/**
 * Who sent an S3 request, and its payload as the object bytes.
 *
 * <ul>
 *   <li>{@link com.eucalyptus.walrus.auth.S3Authenticator} is the contract the S3 router calls;
 *       {@link com.eucalyptus.walrus.auth.SignatureAuthenticator} implements it: it picks the
 *       scheme and hands over to {@code SignatureV2} (AWS AccessKey:Signature, presigned
 *       AWSAccessKeyId/Expires/Signature) or {@code SignatureV4} (AWS4-HMAC-SHA256 header, presigned
 *       X-Amz-*), or lets the request through as anonymous.</li>
 *   <li>{@code PayloadDecoder} then wraps the body as x-amz-content-sha256 says (plain, hex
 *       SHA-256, aws-chunked with chunk signatures and/or checksum trailers); the streams that do
 *       it are in {@link com.eucalyptus.walrus.auth.payload}.</li>
 *   <li>Browser POST forms: {@code SignatureAuthenticator.verifyPostPolicy} checks the policy's
 *       signature and expiration; {@link com.eucalyptus.walrus.auth.PostPolicy} parses the policy
 *       and checks its conditions against the form.</li>
 *   <li>Errors are S3's ({@link com.eucalyptus.walrus.auth.S3AuthErrors},
 *       {@link com.eucalyptus.walrus.auth.SignatureMismatchException}); a body that does not match
 *       what was signed or declared fails as a
 *       {@link com.eucalyptus.walrus.auth.PayloadVerificationException} while it is read.</li>
 * </ul>
 *
 * <p>The signature v4 key derivation and the RFC 3986 encoding are shared with the CLC's EC2 Query
 * API in {@code com.eucalyptus.runtime.auth}.
 */
package com.eucalyptus.walrus.auth;
