package com.eucalyptus.walrus.images;

import com.eucalyptus.walrus.io.BoundedInputStream;
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
    return part -> new BoundedInputStream(all, part.index() == partCount - 1 ? Long.MAX_VALUE : partSize) {
      @Override
      public void close() {
        // the underlying stream holds the following parts
      }
    };
  }
}
