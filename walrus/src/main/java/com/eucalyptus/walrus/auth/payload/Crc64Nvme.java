package com.eucalyptus.walrus.auth.payload;

import java.util.zip.Checksum;

/**
 * CRC-64/NVME (S3's CRC64NVME checksum): reflected polynomial 0x9a6c9329ac4bc9b5, initial value
 * and final xor all ones. The JDK has no such class. Slicing-by-8 tables, so that multi-GB
 * uploads are not slowed down by their checksum.
 */
public final class Crc64Nvme implements Checksum {
  private static final long POLY = 0x9a6c9329ac4bc9b5L;
  private static final long[][] TABLES = new long[8][256];

  static {
    for (int i = 0; i < 256; i++) {
      long crc = i;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
      }
      TABLES[0][i] = crc;
    }
    for (int i = 0; i < 256; i++) {
      for (int t = 1; t < 8; t++) {
        long prev = TABLES[t - 1][i];
        TABLES[t][i] = (prev >>> 8) ^ TABLES[0][(int) (prev & 0xff)];
      }
    }
  }

  private long crc = ~0L;

  @Override
  public void update(int b) {
    crc = (crc >>> 8) ^ TABLES[0][(int) ((crc ^ b) & 0xff)];
  }

  @Override
  public void update(byte[] b, int off, int len) {
    long c = crc;
    int i = off;
    int end = off + len;
    long[] t0 = TABLES[0];
    while (end - i >= 8) {
      long v = c ^ ((b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
          | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48 | (b[i + 7] & 0xffL) << 56);
      c = TABLES[7][(int) (v & 0xff)] ^ TABLES[6][(int) ((v >>> 8) & 0xff)] ^ TABLES[5][(int) ((v >>> 16) & 0xff)]
          ^ TABLES[4][(int) ((v >>> 24) & 0xff)] ^ TABLES[3][(int) ((v >>> 32) & 0xff)]
          ^ TABLES[2][(int) ((v >>> 40) & 0xff)] ^ TABLES[1][(int) ((v >>> 48) & 0xff)] ^ t0[(int) (v >>> 56)];
      i += 8;
    }
    while (i < end) {
      c = (c >>> 8) ^ t0[(int) ((c ^ b[i++]) & 0xff)];
    }
    crc = c;
  }

  @Override
  public long getValue() {
    return ~crc;
  }

  @Override
  public void reset() {
    crc = ~0L;
  }
}
