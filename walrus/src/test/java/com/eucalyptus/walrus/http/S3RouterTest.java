package com.eucalyptus.walrus.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.S3RequestTarget;
import org.junit.jupiter.api.Test;

class S3RouterTest {
  final S3Router router = new S3Router(() -> "cloud.example");

  S3RequestTarget route(String host, String path) throws S3Exception {
    return router.route(host, path).orElse(null);
  }

  @Test
  void servicePathWorksOnAnyHost() throws Exception {
    assertEquals(new S3RequestTarget(null, null, false, "/services/Walrus"), route("10.0.0.1:8773", "/services/Walrus"));
    assertEquals(new S3RequestTarget(null, null, false, "/services/Walrus"), route(null, "/services/Walrus/"));
    assertEquals(new S3RequestTarget("b", null, false, "/services/Walrus"), route("x", "/services/Walrus/b"));
    assertEquals(new S3RequestTarget("b", null, false, "/services/Walrus"), route("x", "/services/Walrus/b/"));
    assertEquals(new S3RequestTarget("b", "a/../c d%", false, "/services/Walrus"), route("x", "/services/Walrus/b/a/../c%20d%25"));
    assertEquals(new S3RequestTarget("b", "/lead", false, "/services/Walrus"), route("x", "/services/Walrus/b//lead"));
    assertEquals(null, route("x", "/services/WalrusX"));
  }

  @Test
  void hostNamesOfTheCloudDomain() throws Exception {
    assertEquals(new S3RequestTarget(null, null, false, ""), route("s3.cloud.example", "/"));
    assertEquals(new S3RequestTarget("b", "k+1", false, ""), route("WALRUS.cloud.example:8773", "/b/k+1"));
    assertEquals(new S3RequestTarget("my.bucket", "k/ü", true, ""), route("my.bucket.s3.cloud.example:8773", "/k/%C3%BC"));
    assertEquals(new S3RequestTarget("bk", null, true, ""), route("bk.walrus.cloud.example", "/"));
    assertEquals(null, route("ec2.cloud.example", "/"));
    assertEquals(null, route("s3.other.example", "/b"));
    assertEquals(null, route(null, "/"));
  }

  @Test
  void badEscapesAreInvalidUri() {
    S3Exception e = assertThrows(S3Exception.class, () -> route("x", "/services/Walrus/b/%zz"));
    assertEquals("InvalidURI", e.code());
    assertThrows(S3Exception.class, () -> route("x", "/services/Walrus/b/%C3"));
    assertThrows(S3Exception.class, () -> route("x", "/services/Walrus/b/abc%4"));
    assertTrue(true);
  }
}
