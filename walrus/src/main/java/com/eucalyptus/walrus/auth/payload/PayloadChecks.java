package com.eucalyptus.walrus.auth.payload;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.PayloadVerificationException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/** The checks S3 makes over an upload's bytes, with S3's errors when they fail. */
public final class PayloadChecks {
  private PayloadChecks() {
  }

  /** The hex SHA-256 the client signed as x-amz-content-sha256. */
  public static PayloadCheck contentSha256(String expectedHex) {
    MessageDigest md = com.eucalyptus.runtime.auth.Hmacs.sha256();
    return new PayloadCheck() {
      @Override
      public void update(byte[] b, int off, int len) {
        md.update(b, off, len);
      }

      @Override
      public void verify() throws PayloadVerificationException {
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equalsIgnoreCase(expectedHex)) {
          throw new PayloadVerificationException(new S3Exception(400, "XAmzContentSHA256Mismatch",
              "The provided 'x-amz-content-sha256' header does not match what was computed."));
        }
      }
    };
  }

  /** An x-amz-checksum-* value given as a header. */
  public static PayloadCheck checksum(ChecksumAlgorithm algorithm, String expectedBase64) {
    ChecksumAlgorithm.Digest digest = algorithm.newDigest();
    return new PayloadCheck() {
      @Override
      public void update(byte[] b, int off, int len) {
        digest.update(b, off, len);
      }

      @Override
      public void verify() throws PayloadVerificationException {
        if (!digest.base64().equals(expectedBase64.trim())) {
          throw new PayloadVerificationException(badDigest(algorithm));
        }
      }
    };
  }

  /**
   * An x-amz-checksum-* value that arrives as an HTTP trailer field, known only once the body has
   * been read ({@code value} is asked then; null when the client sent none).
   */
  public static PayloadCheck trailerChecksum(ChecksumAlgorithm algorithm, java.util.function.Supplier<String> value) {
    ChecksumAlgorithm.Digest digest = algorithm.newDigest();
    return new PayloadCheck() {
      @Override
      public void update(byte[] b, int off, int len) {
        digest.update(b, off, len);
      }

      @Override
      public void verify() throws PayloadVerificationException {
        String expected = value.get();
        if (expected == null) {
          throw new PayloadVerificationException(new S3Exception(400, "MalformedTrailerError",
              "The request contained trailing data that was not well-formed or did not conform to our published schema."));
        }
        if (!digest.base64().equals(expected.trim())) {
          throw new PayloadVerificationException(badDigest(algorithm));
        }
      }
    };
  }

  /** S3's answer when an x-amz-checksum-* does not match the object. */
  public static S3Exception badDigest(ChecksumAlgorithm algorithm) {
    return new S3Exception(400, "BadDigest",
        "The " + algorithm.name().toUpperCase(Locale.ROOT) + " you specified did not match the calculated checksum.");
  }

  /** Whether {@code value} is the base64 of a checksum of the right length for {@code algorithm}. */
  public static boolean wellFormed(ChecksumAlgorithm algorithm, String value) {
    try {
      return Base64.getDecoder().decode(value.trim()).length == algorithm.length();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
