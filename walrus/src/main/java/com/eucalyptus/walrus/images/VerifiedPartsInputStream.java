package com.eucalyptus.walrus.images;

import com.eucalyptus.walrus.images.ImageBundleException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The encrypted parts read one after the other as one stream, each part's SHA1 checked against
 * the manifest as soon as the part ends. A mismatch surfaces as {@link Refused}, an IOException
 * (so it travels unchanged through the cipher and gunzip streams reading from this one).
 */
final class VerifiedPartsInputStream extends InputStream {
  /** An IOException carrying the reason a part was refused. */
  static final class Refused extends IOException {
    final ImageBundleException reason;

    Refused(ImageBundleException reason) {
      super(reason.getMessage());
      this.reason = reason;
    }
  }

  private final List<ImageManifest.Part> parts;
  private final PartSource source;
  private final MessageDigest sha1;
  private int next;
  private InputStream current;
  private ImageManifest.Part currentPart;
  private long bytesRead;

  VerifiedPartsInputStream(List<ImageManifest.Part> parts, PartSource source) {
    this.parts = parts;
    this.source = source;
    try {
      this.sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Encrypted bytes read so far (the bundled size once everything is read). */
  long bytesRead() {
    return bytesRead;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (true) {
      if (current == null && !openNext()) {
        return -1;
      }
      int n = current.read(b, off, len);
      if (n > 0) {
        sha1.update(b, off, n);
        bytesRead += n;
        return n;
      }
      if (n < 0) {
        finishCurrent();
      }
    }
  }

  /**
   * Reads what is left of every part, checking each digest: after a failure further down the
   * pipeline, this tells a tampered part apart from a corrupt but correctly signed bundle.
   */
  void drainAndVerify() throws Refused {
    byte[] buffer = new byte[64 * 1024];
    try {
      while (read(buffer, 0, buffer.length) >= 0) {
        // digests are checked as each part ends
      }
    } catch (Refused r) {
      throw r;
    } catch (IOException e) {
      // a read failure here adds nothing to the original error
    }
  }

  private boolean openNext() throws IOException {
    if (next >= parts.size()) {
      return false;
    }
    currentPart = parts.get(next++);
    sha1.reset();
    try {
      current = source.open(currentPart);
    } catch (IOException e) {
      throw new Refused(new ImageBundleException(Reason.MISSING_PART,
          "part " + currentPart.filename() + " cannot be read: " + e.getMessage(), e));
    }
    return true;
  }

  private void finishCurrent() throws IOException {
    current.close();
    current = null;
    String actual = HexFormat.of().formatHex(sha1.digest());
    if (!actual.equalsIgnoreCase(currentPart.digest())) {
      throw new Refused(new ImageBundleException(Reason.PART_DIGEST_MISMATCH,
          "part " + currentPart.filename() + " has SHA1 " + actual + ", the manifest says "
              + currentPart.digest() + ": the part was changed or is incomplete"));
    }
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
