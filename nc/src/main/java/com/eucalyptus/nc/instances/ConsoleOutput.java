package com.eucalyptus.nc.instances;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The guest's serial console as GetConsoleOutput returns it: the last {@link #MAX_BYTES} of the
 * log (EC2's limit is the most recent 64 KB), cut at a line start, and the time it was last
 * written.
 */
public record ConsoleOutput(byte[] text, Instant lastWritten) {
  public static final int MAX_BYTES = 64 * 1024;

  static ConsoleOutput read(Path log) throws IOException {
    if (!Files.exists(log)) {
      return new ConsoleOutput(new byte[0], Instant.now());
    }
    Instant when = Files.getLastModifiedTime(log).toInstant();
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      long from = Math.max(0, len - MAX_BYTES);
      byte[] b = new byte[(int) (len - from)];
      f.seek(from);
      f.readFully(b);
      int start = 0;
      if (from > 0) {
        // drop the partial first line
        while (start < b.length && b[start] != '\n') {
          start++;
        }
        start = Math.min(b.length, start + 1);
      }
      byte[] out = new byte[b.length - start];
      System.arraycopy(b, start, out, 0, out.length);
      return new ConsoleOutput(out, when);
    }
  }
}
