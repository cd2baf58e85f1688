package com.eucalyptus.walrus.auth.payload;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The additional checksums S3 accepts on uploads, as the header or trailer
 * {@code x-amz-checksum-<alg>} carrying the base64 of the big-endian checksum of the object bytes.
 */
public enum ChecksumAlgorithm {
  CRC32, CRC32C, CRC64NVME, SHA1, SHA256;

  /** The header (or trailer) name, e.g. {@code x-amz-checksum-crc32c}. */
  public String headerName() {
    return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
  }

  /** The algorithm a header or trailer name stands for. */
  public static Optional<ChecksumAlgorithm> ofHeader(String name) {
    for (ChecksumAlgorithm a : values()) {
      if (a.headerName().equalsIgnoreCase(name.trim())) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** Length in bytes of the checksum: what a well-formed base64 value must decode to. */
  public int length() {
    return switch (this) {
      case CRC32, CRC32C -> 4;
      case CRC64NVME -> 8;
      case SHA1 -> 20;
      case SHA256 -> 32;
    };
  }

  /** A new running computation of this checksum. */
  public Digest newDigest() {
    return switch (this) {
      case CRC32 -> new CrcDigest(new CRC32(), 4);
      case CRC32C -> new CrcDigest(new CRC32C(), 4);
      case CRC64NVME -> new CrcDigest(new Crc64Nvme(), 8);
      case SHA1 -> new HashDigest("SHA-1");
      case SHA256 -> new HashDigest("SHA-256");
    };
  }

  /** A checksum being computed over bytes as they pass. */
  public interface Digest {
    void update(byte[] b, int off, int len);

    /** The value as S3 shows it: base64 of the big-endian bytes. */
    String base64();
  }

  private static final class CrcDigest implements Digest {
    private final Checksum crc;
    private final int bytes;

    CrcDigest(Checksum crc, int bytes) {
      this.crc = crc;
      this.bytes = bytes;
    }

    @Override
    public void update(byte[] b, int off, int len) {
      crc.update(b, off, len);
    }

    @Override
    public String base64() {
      ByteBuffer buf = ByteBuffer.allocate(8).putLong(crc.getValue());
      byte[] out = new byte[bytes];
      System.arraycopy(buf.array(), 8 - bytes, out, 0, bytes);
      return Base64.getEncoder().encodeToString(out);
    }
  }

  private static final class HashDigest implements Digest {
    private final MessageDigest md;

    HashDigest(String algorithm) {
      try {
        md = MessageDigest.getInstance(algorithm);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void update(byte[] b, int off, int len) {
      md.update(b, off, len);
    }

    @Override
    public String base64() {
      return Base64.getEncoder().encodeToString(md.digest());
    }
  }
}
