package com.eucalyptus.walrus.auth;

import com.eucalyptus.walrus.S3Exception;

/**
 * 403 SignatureDoesNotMatch. Like S3, the error document may show the client what the server
 * signed (StringToSign, CanonicalRequest for v4, SignatureProvided), so that a client author can
 * find the difference; none of it is secret (the key is never part of it).
 */
public class SignatureMismatchException extends S3Exception {
  private final String stringToSign;
  private final String canonicalRequest;
  private final String signatureProvided;

  public SignatureMismatchException(String stringToSign, String canonicalRequest, String signatureProvided) {
    super(403, "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    this.stringToSign = stringToSign;
    this.canonicalRequest = canonicalRequest;
    this.signatureProvided = signatureProvided;
  }

  /** For a chunk or trailer signature of an aws-chunked body, where S3 shows no details. */
  public static SignatureMismatchException ofPayload() {
    return new SignatureMismatchException(null, null, null);
  }

  /** The string the server signed, or null. S3 shows it as {@code <StringToSign>}. */
  public String stringToSign() {
    return stringToSign;
  }

  /** Signature v4 only: the canonical request the server built ({@code <CanonicalRequest>}), or null. */
  public String canonicalRequest() {
    return canonicalRequest;
  }

  /** The signature the client sent ({@code <SignatureProvided>}), or null. */
  public String signatureProvided() {
    return signatureProvided;
  }
}
