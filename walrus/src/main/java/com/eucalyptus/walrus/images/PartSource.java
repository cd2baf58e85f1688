package com.eucalyptus.walrus.images;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where a bundle's encrypted parts come from: Walrus opens each part object beside the
 * manifest; {@link #concatenated} serves them from one stream holding all parts in order.
 * Parts are opened one at a time, in index order, each stream closed before the next is opened.
 */
public interface PartSource {
  /** ec2-ami-tools and euca2ools both split at 10 MiB (CHUNK_SIZE, IMAGE_SPLIT_CHUNK). */
  long STANDARD_PART_SIZE = 10L * 1024 * 1024;

  InputStream open(ImageManifest.Part part) throws IOException;

  /**
   * All parts concatenated in one stream, each {@code partSize} bytes except the last (which
   * runs to the end of the stream): that is how the bundlers split, so each part's SHA1 can
   * still be checked.
   */
  static PartSource concatenated(InputStream all, long partSize, int partCount) {
    return part -> new BoundedInputStream(all, part.index() == partCount - 1 ? Long.MAX_VALUE : partSize);
  }

  /** At most {@code limit} bytes of the underlying stream, which close() leaves open. */
  final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedInputStream(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() {
      // the underlying stream holds the following parts
    }
  }
}
