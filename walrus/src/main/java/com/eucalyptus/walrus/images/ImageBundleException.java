package com.eucalyptus.walrus.images;

/**
 * A bundle that cannot be trusted or cannot be decrypted, with the reason as a code a caller can
 * turn into its own error (an EC2 error for RegisterImage, an S3 error for GetDecryptedImage).
 */
public class ImageBundleException extends Exception {
  /** Why the bundle was refused. */
  public enum Reason {
    /** the manifest is not a 2007-10-10 AMI manifest or lacks a required element */
    BAD_MANIFEST,
    /** no given certificate verifies the manifest's signature */
    SIGNATURE_MISMATCH,
    /** a part's SHA1 differs from the manifest's */
    PART_DIGEST_MISMATCH,
    /** a part named in the manifest cannot be read */
    MISSING_PART,
    /** the key or IV cannot be decrypted with the cloud's private key */
    KEY_DECRYPTION_FAILED,
    /** decryption, gunzip or untar failed although every part matched its digest */
    CORRUPT_BUNDLE,
    /** the image's digest matches neither the tar stream nor the image file */
    IMAGE_DIGEST_MISMATCH
  }

  private final Reason reason;

  public ImageBundleException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ImageBundleException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
