package com.eucalyptus.walrus.auth;

import com.eucalyptus.walrus.S3Exception;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;

/**
 * Authenticates S3 requests: signature v2 (Authorization header, or presigned query with
 * Expires), signature v4 (header, or presigned X-Amz-* query), or none (anonymous; access is then
 * up to the ACLs). Errors are S3's: 403 SignatureDoesNotMatch, 403 InvalidAccessKeyId, 403
 * AccessDenied (expired presigned URL), 403 RequestTimeTooSkewed, 400 AuthorizationHeaderMalformed,
 * 400 InvalidArgument.
 */
public interface S3Authenticator {
  /** Checks the request's signature and returns the caller and its (decoded) payload. */
  AuthResult authenticate(HttpServletRequest request, S3RequestTarget target) throws S3Exception;

  /**
   * Checks a browser POST form upload: the base64 {@code policy} field's signature (v2
   * {@code signature} + {@code AWSAccessKeyId}, or v4 {@code x-amz-signature} +
   * {@code x-amz-credential}) and its expiration. The policy's conditions are checked by the caller.
   *
   * @param fields the form fields before the file, names lower-cased
   * @return the user who signed the policy, or empty when the form carries no policy (anonymous)
   */
  java.util.Optional<WalrusUser> verifyPostPolicy(Map<String, String> fields) throws S3Exception;
}
