package com.eucalyptus.walrus.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Extracts the one file of a bundle's tar stream, streaming (the {@code tar xfO} of the
 * original). Reads ustar and GNU archives: GNU long names ('L'), pax headers ('x', 'g') and
 * GNU sparse files ('S', what {@code tar -c --sparse} of ec2-ami-tools writes), whose holes are
 * written out as zeros. Directories and links are skipped; a second regular file is refused.
 */
final class TarImageReader {
  private static final int BLOCK = 512;

  /** The file found: its name in the archive and its size. */
  record Entry(String name, long size) {}

  private final InputStream in;
  private final byte[] block = new byte[BLOCK];

  TarImageReader(InputStream in) {
    this.in = in;
  }

  /** Writes the archive's single regular file to {@code out}; reads up to the end-of-archive. */
  Entry extractSingleFile(OutputStream out) throws IOException {
    Entry found = null;
    String longName = null;
    while (true) {
      if (!readBlock(true)) {
        break; // end of stream without the zero blocks: accepted, as GNU tar does
      }
      if (isZero(block)) {
        break;
      }
      checkChecksum();
      char type = (char) block[156];
      long size = number(124, 12);
      String name = longName != null ? longName : name();
      longName = null;
      switch (type) {
        case 'L' -> longName = cString(readData(size));
        case 'x', 'g', 'K' -> {
          byte[] data = readData(size);
          if (type == 'x' && new String(data, StandardCharsets.UTF_8).contains("GNU.sparse.")) {
            throw new IOException("tar uses the pax sparse format, which is not supported");
          }
        }
        case '0', '\0', '7', 'S' -> {
          if (found != null) {
            throw new IOException("the bundle holds more than one file (" + found.name() + ", " + name + ")");
          }
          long written = type == 'S' ? copySparse(size, out) : copyData(size, out);
          found = new Entry(name, written);
        }
        default -> skipData(size); // directories, links, devices: nothing of the image
      }
    }
    if (found == null) {
      throw new IOException("the bundle's tar archive holds no file");
    }
    return found;
  }

  private long copyData(long size, OutputStream out) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("tar archive ends inside a file");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
    skipPadding(size);
    return size;
  }

  /** GNU old-style sparse: a map of (offset, length) chunks in the header and extension blocks. */
  private long copySparse(long storedSize, OutputStream out) throws IOException {
    List<long[]> chunks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      addChunk(chunks, 386 + i * 24);
    }
    long realSize = number(483, 12);
    boolean extended = block[482] != 0;
    while (extended) {
      readBlock(false);
      for (int i = 0; i < 21; i++) {
        addChunk(chunks, i * 24);
      }
      extended = block[504] != 0;
    }
    byte[] buffer = new byte[64 * 1024];
    long position = 0;
    long stored = 0;
    for (long[] chunk : chunks) {
      if (chunk[0] < position) {
        throw new IOException("sparse map is not in order");
      }
      writeZeros(out, chunk[0] - position, buffer);
      long left = chunk[1];
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException("tar archive ends inside a sparse file");
        }
        out.write(buffer, 0, n);
        left -= n;
      }
      stored += chunk[1];
      position = chunk[0] + chunk[1];
    }
    if (stored != storedSize) {
      throw new IOException("sparse map holds " + stored + " bytes, the header says " + storedSize);
    }
    if (realSize < position) {
      throw new IOException("sparse file is shorter than its map");
    }
    Arrays.fill(buffer, (byte) 0);
    writeZeros(out, realSize - position, buffer);
    skipPadding(storedSize);
    return realSize;
  }

  private void addChunk(List<long[]> chunks, int at) throws IOException {
    if (block[at] == 0 && block[at + 12] == 0) {
      return;
    }
    chunks.add(new long[] {number(at, 12), number(at + 12, 12)});
  }

  private static void writeZeros(OutputStream out, long count, byte[] buffer) throws IOException {
    Arrays.fill(buffer, (byte) 0);
    while (count > 0) {
      int n = (int) Math.min(buffer.length, count);
      out.write(buffer, 0, n);
      count -= n;
    }
  }

  private byte[] readData(long size) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("tar header entry of " + size + " bytes is too large");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length != size) {
      throw new IOException("tar archive ends inside a header entry");
    }
    skipPadding(size);
    return data;
  }

  private void skipData(long size) throws IOException {
    skipFully(size);
    skipPadding(size);
  }

  private void skipPadding(long size) throws IOException {
    long rest = size % BLOCK;
    if (rest != 0) {
      skipFully(BLOCK - rest);
    }
  }

  /** Reads (never skip()s) past {@code count} bytes: the tar stream's digest must see every byte. */
  private void skipFully(long count) throws IOException {
    byte[] sink = new byte[(int) Math.min(count, 64 * 1024)];
    while (count > 0) {
      int n = in.read(sink, 0, (int) Math.min(count, sink.length));
      if (n < 0) {
        throw new IOException("tar archive ends early");
      }
      count -= n;
    }
  }

  private boolean readBlock(boolean eofAllowed) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0 && eofAllowed) {
      return false;
    }
    if (n != BLOCK) {
      throw new IOException("tar archive ends inside a header");
    }
    return true;
  }

  private void checkChecksum() throws IOException {
    long expected = number(148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (block[i] & 0xff);
    }
    if (sum != expected) {
      throw new IOException("not a tar archive (header checksum mismatch)");
    }
  }

  private String name() {
    String name = cString(Arrays.copyOfRange(block, 0, 100));
    boolean ustar = new String(block, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    String prefix = ustar && block[262] == 0 ? cString(Arrays.copyOfRange(block, 345, 500)) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  /** Octal, or GNU's base-256 (first byte 0x80) for sizes beyond 8 GB. */
  private long number(int offset, int length) throws IOException {
    if ((block[offset] & 0x80) != 0) {
      long value = block[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (block[offset + i] & 0xff);
      }
      return value;
    }
    long value = 0;
    boolean digits = false;
    for (int i = offset; i < offset + length; i++) {
      byte c = block[i];
      if (c == 0 || (c == ' ' && digits)) {
        break;
      }
      if (c == ' ') {
        continue;
      }
      if (c < '0' || c > '7') {
        throw new IOException("bad number in tar header");
      }
      value = value * 8 + (c - '0');
      digits = true;
    }
    return value;
  }

  private static String cString(byte[] bytes) {
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
