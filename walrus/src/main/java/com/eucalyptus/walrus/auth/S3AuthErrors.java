package com.eucalyptus.walrus.auth;

import com.eucalyptus.walrus.S3Exception;

/** The errors S3 answers when a request's authentication fails, with S3's own codes and messages. */
public final class S3AuthErrors {
  private S3AuthErrors() {
  }

  public static S3Exception invalidAccessKeyId() {
    return new S3Exception(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
  }

  /** The key exists but its account may not use the cloud now; {@code why} ends "The account of this access key …". */
  public static S3Exception accountNotActive(String why) {
    return new S3Exception(403, "AccessDenied", "The account of this access key " + why + ".");
  }

  public static S3Exception requestTimeTooSkewed() {
    return new S3Exception(403, "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.");
  }

  public static S3Exception expired() {
    return new S3Exception(403, "AccessDenied", "Request has expired");
  }

  public static S3Exception accessDenied(String message) {
    return new S3Exception(403, "AccessDenied", message);
  }

  public static S3Exception headerMalformed(String why) {
    return new S3Exception(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; " + why);
  }

  public static S3Exception queryParametersError(String why) {
    return new S3Exception(400, "AuthorizationQueryParametersError", why);
  }

  public static S3Exception invalidArgument(String message) {
    return new S3Exception(400, "InvalidArgument", message);
  }

  public static S3Exception invalidRequest(String message) {
    return new S3Exception(400, "InvalidRequest", message);
  }

  public static S3Exception notImplemented(String message) {
    return new S3Exception(501, "NotImplemented", message);
  }
}
