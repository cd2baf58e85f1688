package com.eucalyptus.walrus.auth;

import com.eucalyptus.walrus.S3Exception;
import java.io.IOException;

/** A body that did not match what was signed or declared (SHA-256, chunk signature, checksum). */
public class PayloadVerificationException extends IOException {
  private final transient S3Exception error;

  public PayloadVerificationException(S3Exception error) {
    super(error.code() + ": " + error.getMessage());
    this.error = error;
  }

  /** The S3 error to answer with, e.g. 400 XAmzContentSHA256Mismatch or 400 BadDigest. */
  public S3Exception error() {
    return error;
  }
}
