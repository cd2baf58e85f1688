package com.eucalyptus.walrus.auth.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumAlgorithmTest {
  private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

  private static String hex(ChecksumAlgorithm a, byte[] data) {
    ChecksumAlgorithm.Digest d = a.newDigest();
    d.update(data, 0, data.length);
    return HexFormat.of().formatHex(Base64.getDecoder().decode(d.base64()));
  }

  /** The catalogue check values ("123456789") of each CRC, and the SHA test vectors of FIPS 180. */
  @Test
  void checkValues() {
    assertEquals("ae8b14860a799888", hex(ChecksumAlgorithm.CRC64NVME, CHECK)); // CRC-64/NVME
    assertEquals("cbf43926", hex(ChecksumAlgorithm.CRC32, CHECK));
    assertEquals("e3069283", hex(ChecksumAlgorithm.CRC32C, CHECK));
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", hex(ChecksumAlgorithm.SHA1, abc));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex(ChecksumAlgorithm.SHA256, abc));
    assertEquals("0000000000000000", hex(ChecksumAlgorithm.CRC64NVME, new byte[0]));
  }

  /** The 8-bytes-at-a-time path and the byte path agree, however the data is split. */
  @Test
  void crc64NvmeDoesNotDependOnHowTheDataArrives() {
    byte[] data = new byte[100_003];
    new Random(42).nextBytes(data);
    Crc64Nvme whole = new Crc64Nvme();
    whole.update(data, 0, data.length);
    Crc64Nvme bytes = new Crc64Nvme();
    for (byte b : data) {
      bytes.update(b);
    }
    Crc64Nvme pieces = new Crc64Nvme();
    Random r = new Random(7);
    for (int off = 0; off < data.length;) {
      int n = Math.min(data.length - off, r.nextInt(37));
      pieces.update(data, off, n);
      off += n;
    }
    assertEquals(whole.getValue(), bytes.getValue());
    assertEquals(whole.getValue(), pieces.getValue());
    whole.reset();
    whole.update(CHECK, 0, CHECK.length);
    assertEquals(0xae8b14860a799888L, whole.getValue());
  }

  @Test
  void headerNamesAndWellFormedValues() {
    assertEquals(ChecksumAlgorithm.CRC64NVME, ChecksumAlgorithm.ofHeader("X-Amz-Checksum-CRC64NVME").orElseThrow());
    assertTrue(ChecksumAlgorithm.ofHeader("x-amz-checksum-md5").isEmpty());
    assertTrue(ChecksumAlgorithm.ofHeader("x-amz-checksum-algorithm").isEmpty());
    assertTrue(PayloadChecks.wellFormed(ChecksumAlgorithm.CRC32, "y/Q5Jg=="));
    assertTrue(!PayloadChecks.wellFormed(ChecksumAlgorithm.CRC64NVME, "y/Q5Jg=="));
    assertTrue(!PayloadChecks.wellFormed(ChecksumAlgorithm.SHA1, "not base64!"));
  }
}
