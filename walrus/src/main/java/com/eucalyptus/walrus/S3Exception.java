package com.eucalyptus.walrus;

/**
 * An S3 error as the client sees it: the HTTP status and the {@code <Error><Code>} of S3's XML
 * error document (e.g. 404 NoSuchBucket, 403 SignatureDoesNotMatch).
 */
public class S3Exception extends Exception {
  private final int status;
  private final String code;

  public S3Exception(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
