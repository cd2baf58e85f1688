package com.eucalyptus.walrus.auth.payload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.walrus.auth.PayloadVerificationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The aws-chunked decoder on its own (unsigned chunks; signed ones are tested with real vectors). */
class AwsChunkedInputStreamTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] body(String trailer, byte[]... chunks) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] c : chunks) {
      out.write(ascii(Integer.toHexString(c.length) + "\r\n"));
      out.write(c);
      out.write(ascii("\r\n"));
    }
    out.write(ascii("0\r\n" + trailer + "\r\n"));
    return out.toByteArray();
  }

  private static String crc32(byte[] data) {
    ChecksumAlgorithm.Digest d = ChecksumAlgorithm.CRC32.newDigest();
    d.update(data, 0, data.length);
    return d.base64();
  }

  private static AwsChunkedInputStream decoder(InputStream in, ChecksumAlgorithm trailer, long length) {
    return new AwsChunkedInputStream(in, null, trailer, length, List.of());
  }

  @Test
  void decodesChunksAndChecksTheTrailer() throws Exception {
    byte[] a = ascii("hello ");
    byte[] b = ascii("walrus");
    byte[] ok = body("x-amz-checksum-crc32:" + crc32(ascii("hello walrus")) + "\r\n", a, b);
    assertArrayEquals(ascii("hello walrus"), decoder(new ByteArrayInputStream(ok), ChecksumAlgorithm.CRC32, 12)
        .readAllBytes());
    byte[] wrong = body("x-amz-checksum-crc32:" + crc32(ascii("hello walrut")) + "\r\n", a, b);
    PayloadVerificationException e = assertThrows(PayloadVerificationException.class,
        () -> decoder(new ByteArrayInputStream(wrong), ChecksumAlgorithm.CRC32, 12).readAllBytes());
    assertEquals("BadDigest", e.error().code());
    assertEquals("The CRC32 you specified did not match the calculated checksum.", e.error().getMessage());
  }

  @Test
  void aDecodedLengthOtherThanDeclaredIsIncompleteBody() {
    byte[] ok = body0("abc");
    assertEquals("IncompleteBody", assertThrows(PayloadVerificationException.class,
        () -> decoder(new ByteArrayInputStream(ok), null, 4).readAllBytes()).error().code());
    assertEquals("IncompleteBody", assertThrows(PayloadVerificationException.class,
        () -> decoder(new ByteArrayInputStream(ok), null, 2).readAllBytes()).error().code());
  }

  private static byte[] body0(String data) {
    try {
      return body("", ascii(data));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void malformedFramingIsAVerificationFailureNotADisconnect() {
    String[] bad = {"zz\r\nabc\r\n0\r\n\r\n", "3\r\nabcd\r\n0\r\n\r\n", "-3\r\nabc\r\n0\r\n\r\n",
        "3\r\nabc\r\n0\r\nno colon here\r\n\r\n"};
    for (String b : bad) {
      PayloadVerificationException e = assertThrows(PayloadVerificationException.class,
          () -> decoder(new ByteArrayInputStream(ascii(b)), b.contains("colon") ? ChecksumAlgorithm.CRC32 : null, -1)
              .readAllBytes(), b);
      assertEquals(400, e.error().status(), b);
    }
    // a missing trailer, when one was declared and the body ended properly
    assertEquals("MalformedTrailerError", assertThrows(PayloadVerificationException.class,
        () -> decoder(new ByteArrayInputStream(ascii("3\r\nabc\r\n0\r\n\r\n\r\n")), ChecksumAlgorithm.CRC32, 3)
            .readAllBytes()).error().code());
  }

  @Test
  void aBodyThatStopsIsEofAtEveryPlace() throws Exception {
    byte[] whole = body("x-amz-checksum-crc32:" + crc32(ascii("abcdef")) + "\r\n", ascii("abc"), ascii("def"));
    for (int cut = 0; cut < whole.length - 2; cut++) {
      byte[] part = java.util.Arrays.copyOf(whole, cut);
      IOException e = assertThrows(IOException.class,
          () -> decoder(new ByteArrayInputStream(part), ChecksumAlgorithm.CRC32, 6).readAllBytes(), "cut at " + cut);
      assertTrue(e instanceof EOFException, "cut at " + cut + ": " + e);
    }
  }

  /**
   * The first chunk's bytes come out before the second chunk has arrived: the decoder holds a
   * chunk at most, never the body (objects of several GB pass through it).
   */
  @Test
  void bytesComeOutBeforeTheRestOfTheBodyArrives() throws Exception {
    byte[] first = new byte[65536];
    java.util.Arrays.fill(first, (byte) 'x');
    byte[] whole = body("", first, ascii("tail"));
    int firstChunkEnd = Integer.toHexString(65536).length() + 2 + 65536 + 2;
    boolean[] gateOpen = {false};
    InputStream source = new InputStream() {
      private int pos;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (pos >= whole.length) {
          return -1;
        }
        int limit = gateOpen[0] ? whole.length : firstChunkEnd;
        if (pos >= limit) {
          throw new AssertionError("the decoder read past the first chunk before giving it out");
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(whole, pos, b, off, n);
        pos += n;
        return n;
      }
    };
    AwsChunkedInputStream in = decoder(source, null, 65540);
    byte[] buf = new byte[65536];
    int got = 0;
    while (got < 65536) {
      got += in.read(buf, got, 65536 - got);
    }
    assertArrayEquals(first, buf);
    gateOpen[0] = true;
    assertArrayEquals(ascii("tail"), in.readAllBytes());
  }
}
