package com.eucalyptus.walrus.post;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.PostPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PostFormTest {
  /** Hands out at most 3 bytes per read, to cross every buffer edge. */
  static InputStream trickle(byte[] b) {
    return new FilterInputStream(new ByteArrayInputStream(b)) {
      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        return super.read(buf, off, Math.min(len, 3));
      }
    };
  }

  static byte[] body(String boundary, byte[] file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nup/${filename}\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a b.txt\"\r\n"
        + "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(file);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Test
  void readsFieldsThenStreamsTheFileWhateverItHolds() throws Exception {
    byte[] file = new byte[200_000];
    new Random(1).nextBytes(file);
    byte[] almost = "\r\n--bound".getBytes(StandardCharsets.US_ASCII); // a delimiter that stops one byte short
    System.arraycopy(almost, 0, file, 65_530, almost.length);
    for (boolean slow : new boolean[] {false, true}) {
      byte[] b = body("boundary", file);
      MultipartFormReader r = new MultipartFormReader(slow ? trickle(b) : new ByteArrayInputStream(b), "boundary");
      assertTrue(r.next());
      assertEquals("key", r.dispositionParam("name"));
      assertEquals("up/${filename}", r.text(1000));
      assertTrue(r.next());
      assertEquals("a b.txt", r.dispositionParam("filename"));
      assertEquals("text/plain", r.headers().get("content-type"));
      assertArrayEquals(file, r.content().readAllBytes());
      assertFalse(r.next());
    }
    assertEquals("x y", MultipartFormReader.boundary("multipart/form-data; boundary=\"x y\""));
    assertThrows(S3Exception.class, () -> MultipartFormReader.boundary("multipart/form-data"));
  }

  @Test
  void aFormCutOffIsAnError() throws Exception {
    byte[] b = body("bnd", "hello".getBytes());
    byte[] cut = java.util.Arrays.copyOf(b, b.length - 12);
    MultipartFormReader r = new MultipartFormReader(new ByteArrayInputStream(cut), "bnd");
    r.next();
    r.next();
    assertThrows(IOException.class, () -> r.content().readAllBytes());
  }

  static PostPolicy policy(String json) throws S3Exception {
    return PostPolicy.parse(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void policyConditions() throws Exception {
    PostPolicy p = policy("{\"expiration\": \"2100-01-01T00:00:00.000Z\", \"conditions\": [{\"bucket\": \"b\"},"
        + " [\"starts-with\", \"$key\", \"user/\"], [\"eq\", \"$acl\", \"public-read\"], [\"starts-with\", \"$Content-Type\", \"\"],"
        + " [\"content-length-range\", 10, 20]]}");
    Map<String, String> f = new HashMap<>(Map.of("bucket", "b", "key", "user/x", "acl", "public-read", "content-type", "a/b",
        "policy", "...", "signature", "...", "awsaccesskeyid", "..."));
    assertDoesNotThrow(() -> p.check(f, -1));
    f.put("key", "other/x");
    assertEquals("AccessDenied", assertThrows(S3Exception.class, () -> p.check(f, -1)).code());
    f.put("key", "user/x");
    f.put("x-amz-meta-extra", "1");
    assertTrue(assertThrows(S3Exception.class, () -> p.check(f, -1)).getMessage().contains("Extra input fields: x-amz-meta-extra"));
    f.remove("x-amz-meta-extra");
    f.put("x-ignore-me", "1");
    assertDoesNotThrow(() -> p.check(f, -1));
    assertEquals("EntityTooSmall", assertThrows(S3Exception.class, () -> p.checkFileSize(9)).code());
    assertEquals("EntityTooLarge", assertThrows(S3Exception.class, () -> p.checkFileSize(21)).code());
    assertDoesNotThrow(() -> p.checkFileSize(20));
    assertEquals("InvalidPolicyDocument", assertThrows(S3Exception.class, () -> policy("{\"conditions\": [")).code());
    assertEquals("InvalidPolicyDocument", assertThrows(S3Exception.class, () -> policy("{\"expiration\": 1}")).code());
  }
}
