package com.eucalyptus.walrus.auth.payload;

import com.eucalyptus.walrus.auth.PayloadVerificationException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A plain (not chunked) body, passed through as it is read, with its checks made at end of
 * stream. A body that ends before its Content-Length is a cut-off upload: an
 * {@link EOFException}, not a verification failure.
 */
public final class CheckedPayloadInputStream extends FilterInputStream {
  private final long expectedLength;
  private final List<PayloadCheck> checks;
  private long count;
  private boolean verified;
  private PayloadVerificationException failure;

  /**
   * @param expectedLength the length the request declared (Content-Length, or x-amz-decoded-content-length of
   *     a body the container has de-chunked), or -1 when unknown
   */
  public CheckedPayloadInputStream(InputStream in, long expectedLength, List<PayloadCheck> checks) {
    super(in);
    this.expectedLength = expectedLength;
    this.checks = List.copyOf(checks);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (len == 0) {
      return 0;
    }
    int n = in.read(b, off, len);
    if (n < 0) {
      atEnd();
      return -1;
    }
    count += n;
    if (expectedLength >= 0 && count > expectedLength) {
      failure = new PayloadVerificationException(new com.eucalyptus.walrus.S3Exception(400, "IncompleteBody",
          "The body is longer than the length the request declared."));
      throw failure;
    }
    for (PayloadCheck c : checks) {
      c.update(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  private void atEnd() throws IOException {
    if (expectedLength >= 0 && count < expectedLength) {
      throw new EOFException("the body ended after " + count + " of its " + expectedLength + " bytes");
    }
    if (failure != null) {
      throw failure; // every read at the end says so, not only the first
    }
    if (!verified) {
      verified = true;
      try {
        for (PayloadCheck c : checks) {
          c.verify();
        }
      } catch (PayloadVerificationException e) {
        failure = e;
        throw e;
      }
    }
  }
}
