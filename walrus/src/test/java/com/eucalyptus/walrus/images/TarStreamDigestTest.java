package com.eucalyptus.walrus.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tar stream's SHA1 (ec2-ami-tools' image digest) must cover every byte, padding included:
 * an image whose size is not a multiple of 512 made the reader skip() its padding past the digest.
 */
class TarStreamDigestTest {
  @TempDir
  Path dir;

  @Test
  void paddingAfterAnOddSizedImageCountsInTheDigest() throws Exception {
    byte[] image = new byte[1_000_003];
    new Random(7).nextBytes(image);
    Files.write(dir.resolve("odd.img"), image);
    Process p = new ProcessBuilder("tar", "-c", "--owner=0", "--group=0", "-f", "odd.tar", "odd.img")
        .directory(dir.toFile()).inheritIO().start();
    assertEquals(0, p.waitFor());
    byte[] tar = Files.readAllBytes(dir.resolve("odd.tar"));
    MessageDigest seen = MessageDigest.getInstance("SHA-1");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = new DigestInputStream(Files.newInputStream(dir.resolve("odd.tar")), seen)) {
      new TarImageReader(in).extractSingleFile(out);
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    assertArrayEquals(image, out.toByteArray());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(tar)), HexFormat.of().formatHex(seen.digest()));
  }
}
