package com.eucalyptus.walrus.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.walrus.TestWalrus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Walrus end to end over HTTP: the real filter in Jetty, real HSQLDB, real files. */
class WalrusHttpTest {
  static {
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
  }

  @TempDir
  Path home;
  TestWalrus w;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    w = new TestWalrus(home);
  }

  @AfterEach
  void stop() throws Exception {
    w.close();
  }

  HttpResponse<byte[]> call(String method, String path, String user, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + w.port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (user != null) {
      b.header("Authorization", "TEST " + user);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static void assertError(HttpResponse<byte[]> r, int status, String code) {
    assertEquals(status, r.statusCode(), text(r));
    assertTrue(text(r).contains("<Code>" + code + "</Code>"), text(r));
    assertTrue(r.headers().firstValue("x-amz-request-id").isPresent());
  }

  static final String S = "/services/Walrus";

  /** Percent-encodes a key as SDKs do: everything but unreserved characters and '/'. */
  static String encode(String key) {
    StringBuilder sb = new StringBuilder();
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_.~/".indexOf(c) >= 0) {
        sb.append(c);
      } else {
        sb.append(String.format("%%%02X", b & 0xff));
      }
    }
    return sb.toString();
  }

  @Test
  void bucketsAndObjectsRoundTrip() throws Exception {
    assertEquals(200, call("PUT", S + "/photos", "alice", null).statusCode());
    assertError(call("PUT", S + "/photos", "alice", null), 409, "BucketAlreadyOwnedByYou");
    assertError(call("PUT", S + "/photos", "bob", null), 409, "BucketAlreadyExists");
    assertError(call("PUT", S + "/Bad_Name", "alice", null), 400, "InvalidBucketName");
    String list = text(call("GET", S + "/", "alice", null));
    assertTrue(list.contains("<Name>photos</Name>") && list.contains("<DisplayName>alice</DisplayName>"), list);
    assertFalse(text(call("GET", S + "/", "bob", null)).contains("photos"));

    byte[] data = new byte[3_000_000];
    new Random(7).nextBytes(data);
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    HttpResponse<byte[]> put = call("PUT", S + "/photos/a/b%20c.bin", "alice", data, "Content-Type", "image/x-test",
        "x-amz-meta-Colour", "blue", "Cache-Control", "max-age=60", "Content-Disposition", "attachment",
        "Content-Encoding", "identity", "Content-Language", "de", "Expires", "Thu, 01 Dec 2094 16:00:00 GMT");
    assertEquals(200, put.statusCode(), text(put));
    assertEquals("\"" + md5 + "\"", put.headers().firstValue("ETag").orElseThrow());

    HttpResponse<byte[]> get = call("GET", S + "/photos/a/b%20c.bin", "alice", null);
    assertEquals(200, get.statusCode());
    assertArrayEquals(data, get.body());
    assertEquals("image/x-test", get.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("blue", get.headers().firstValue("x-amz-meta-colour").orElseThrow());
    assertEquals("max-age=60", get.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals("attachment", get.headers().firstValue("Content-Disposition").orElseThrow());
    assertEquals("identity", get.headers().firstValue("Content-Encoding").orElseThrow());
    assertEquals("de", get.headers().firstValue("Content-Language").orElseThrow());
    assertEquals("Thu, 01 Dec 2094 16:00:00 GMT", get.headers().firstValue("Expires").orElseThrow());
    assertTrue(get.headers().firstValue("Last-Modified").orElseThrow().endsWith("GMT"));

    HttpResponse<byte[]> head = call("HEAD", S + "/photos/a/b%20c.bin", "alice", null);
    assertEquals(200, head.statusCode());
    assertEquals("3000000", head.headers().firstValue("Content-Length").orElseThrow());
    assertEquals("blue", head.headers().firstValue("x-amz-meta-colour").orElseThrow());
    assertEquals("Thu, 01 Dec 2094 16:00:00 GMT", head.headers().firstValue("Expires").orElseThrow());

    // HEAD bucket: the owner 200, another user 403, a bucket that does not exist 404 (no bodies)
    assertEquals(200, call("HEAD", S + "/photos", "alice", null).statusCode());
    assertEquals(403, call("HEAD", S + "/photos", "bob", null).statusCode());
    assertEquals(404, call("HEAD", S + "/no-such-bucket", "alice", null).statusCode());
    // GetBucketLocation: empty without a constraint, the constraint given at creation otherwise
    assertTrue(text(call("GET", S + "/photos?location", "alice", null)).matches("(?s).*<LocationConstraint[^>]*></LocationConstraint>.*"),
        text(call("GET", S + "/photos?location", "alice", null)));
    String config = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        + "<LocationConstraint>eucalyptus</LocationConstraint></CreateBucketConfiguration>";
    assertEquals(200, call("PUT", S + "/placed", "alice", config.getBytes()).statusCode());
    String location = text(call("GET", S + "/placed?location", "alice", null));
    assertTrue(location.contains(">eucalyptus</LocationConstraint>"), location);
    assertError(call("GET", S + "/placed?location", "bob", null), 403, "AccessDenied");
    assertEquals("eucalyptus", call("HEAD", S + "/placed", "alice", null).headers().firstValue("x-amz-bucket-region").orElseThrow());
    assertError(call("PUT", S + "/badconfig", "alice", "<CreateBucketConfiguration>".getBytes()), 400, "MalformedXML");
    assertEquals(204, call("DELETE", S + "/placed", "alice", null).statusCode());

    assertError(call("DELETE", S + "/photos", "alice", null), 409, "BucketNotEmpty");
    assertEquals(204, call("DELETE", S + "/photos/a/b%20c.bin", "alice", null).statusCode());
    assertError(call("GET", S + "/photos/a/b%20c.bin", "alice", null), 404, "NoSuchKey");
    assertEquals(204, call("DELETE", S + "/photos", "alice", null).statusCode());
    assertError(call("GET", S + "/photos", "alice", null), 404, "NoSuchBucket");
    assertEquals(0, w.filesOnDisk().size(), w.filesOnDisk().toString());
  }

  @Test
  void overwriteReplacesTheFileAndBadDigestKeepsTheOldObject() throws Exception {
    call("PUT", S + "/bk1", "alice", null);
    call("PUT", S + "/bk1/k", "alice", "first".getBytes());
    call("PUT", S + "/bk1/k", "alice", "second".getBytes());
    assertEquals("second", text(call("GET", S + "/bk1/k", "alice", null)));
    assertEquals(1, w.filesOnDisk().size());
    call("PUT", S + "/bk1/typed", "alice", "t".getBytes(), "Content-Type", "text/plain; charset=UTF-8");
    assertEquals("text/plain; charset=UTF-8", call("GET", S + "/bk1/typed", "alice", null).headers().firstValue("Content-Type")
        .orElseThrow(), "kept exactly as sent (Jetty's header cache would change it)");
    call("DELETE", S + "/bk1/typed", "alice", null);
    String wrong = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest("other".getBytes()));
    assertError(call("PUT", S + "/bk1/k", "alice", "third".getBytes(), "Content-MD5", wrong), 400, "BadDigest");
    assertError(call("PUT", S + "/bk1/k", "alice", "third".getBytes(), "Content-MD5", "nope"), 400, "InvalidDigest");
    assertEquals("second", text(call("GET", S + "/bk1/k", "alice", null)));
    assertEquals(1, w.filesOnDisk().size());
    String right = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest("third".getBytes()));
    assertEquals(200, call("PUT", S + "/bk1/k", "alice", "third".getBytes(), "Content-MD5", right).statusCode());
    assertEquals("third", text(call("GET", S + "/bk1/k", "alice", null)));
  }

  @Test
  void rangesAndConditions() throws Exception {
    call("PUT", S + "/bk1", "alice", null);
    HttpResponse<byte[]> put = call("PUT", S + "/bk1/k", "alice", "0123456789".getBytes());
    String etag = put.headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> r = call("GET", S + "/bk1/k", "alice", null, "Range", "bytes=2-4");
    assertEquals(206, r.statusCode());
    assertEquals("234", text(r));
    assertEquals("bytes 2-4/10", r.headers().firstValue("Content-Range").orElseThrow());
    assertEquals("789", text(call("GET", S + "/bk1/k", "alice", null, "Range", "bytes=-3")));
    assertEquals("89", text(call("GET", S + "/bk1/k", "alice", null, "Range", "bytes=8-")));
    assertError(call("GET", S + "/bk1/k", "alice", null, "Range", "bytes=10-"), 416, "InvalidRange");
    assertEquals(304, call("GET", S + "/bk1/k", "alice", null, "If-None-Match", etag).statusCode());
    assertEquals(200, call("GET", S + "/bk1/k", "alice", null, "If-Match", etag).statusCode());
    assertError(call("GET", S + "/bk1/k", "alice", null, "If-Match", "\"abc\""), 412, "PreconditionFailed");
    assertEquals(304, call("GET", S + "/bk1/k", "alice", null, "If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT")
        .statusCode());
    assertError(call("GET", S + "/bk1/k", "alice", null, "If-Unmodified-Since", "Fri, 01 Jan 2010 00:00:00 GMT"), 412,
        "PreconditionFailed");
  }

  @Test
  void usersAreIsolatedAndAclsOpenAccess() throws Exception {
    call("PUT", S + "/private", "alice", null);
    call("PUT", S + "/private/secret", "alice", "s".getBytes());
    assertError(call("GET", S + "/private", "bob", null), 403, "AccessDenied");
    assertError(call("GET", S + "/private/secret", "bob", null), 403, "AccessDenied");
    assertError(call("PUT", S + "/private/secret", "bob", "x".getBytes()), 403, "AccessDenied");
    assertError(call("DELETE", S + "/private/secret", "bob", null), 403, "AccessDenied");
    assertError(call("DELETE", S + "/private", "bob", null), 403, "AccessDenied");
    assertError(call("GET", S + "/private/secret", null, null), 403, "AccessDenied");
    assertError(call("GET", S + "/private/secret?acl", "bob", null), 403, "AccessDenied");
    assertEquals("s", text(call("GET", S + "/private/secret", "alice", null)));

    call("PUT", S + "/private/open", "alice", "o".getBytes(), "x-amz-acl", "public-read");
    assertEquals("o", text(call("GET", S + "/private/open", null, null)));
    assertError(call("GET", S + "/private", null, null), 403, "AccessDenied");

    String bobId = w.users.get("bob").canonicalId();
    String acl = "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>x</ID></Owner>"
        + "<AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">"
        + "<ID>" + w.users.get("alice").canonicalId() + "</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>"
        + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"AmazonCustomerByEmail\">"
        + "<EmailAddress>bob@example.test</EmailAddress></Grantee><Permission>READ</Permission></Grant>"
        + "</AccessControlList></AccessControlPolicy>";
    assertEquals(200, call("PUT", S + "/private/secret?acl", "alice", acl.getBytes()).statusCode());
    assertEquals("s", text(call("GET", S + "/private/secret", "bob", null)));
    String got = text(call("GET", S + "/private/secret?acl", "alice", null));
    assertTrue(got.contains("<ID>" + bobId + "</ID>") && got.contains("<DisplayName>bob</DisplayName>"), got);
    assertError(call("PUT", S + "/private/secret?acl", "alice", acl.replace("bob@", "nobody@").getBytes()), 400,
        "UnresolvableGrantByEmailAddress");
    assertError(call("PUT", S + "/private/secret?acl", "alice", "<nope".getBytes()), 400, "MalformedACLError");

    call("PUT", S + "/private/granted", "alice", "g".getBytes(), "x-amz-grant-read", "emailAddress=\"bob@example.test\"",
        "x-amz-grant-full-control", "id=\"" + w.users.get("alice").canonicalId() + "\"");
    assertEquals("g", text(call("GET", S + "/private/granted", "bob", null)));
    assertError(call("GET", S + "/private/granted", null, null), 403, "AccessDenied");
    assertError(call("PUT", S + "/private/granted", "alice", "g".getBytes(), "x-amz-acl", "private", "x-amz-grant-read",
        "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""), 400, "InvalidRequest");
    assertEquals(200, call("PUT", S + "/private/granted?acl", "alice", null, "x-amz-grant-read",
        "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"").statusCode());
    assertEquals("g", text(call("GET", S + "/private/granted", null, null)));

    assertEquals(200, call("PUT", S + "/private?acl", "alice", null, "x-amz-acl", "public-read-write").statusCode());
    assertEquals(200, call("PUT", S + "/private/anon", null, "a".getBytes()).statusCode());
    assertTrue(text(call("GET", S + "/private", null, null)).contains("<Key>anon</Key>"));
  }

  @Test
  void keysThatLookLikePathsStayInsideTheStore() throws Exception {
    call("PUT", S + "/bk1", "alice", null);
    String[] keys = {"../../../../../../../../tmp/walrus-escape.txt", "../../%2e%2e/../../x", "../../etc/passwd", "a/../../x", "%2e%2e/%2e%2e/y", "sp ace/ü/日本", "100%25", "a//b", ".."};
    for (String k : keys) {
      HttpResponse<byte[]> r = call("PUT", S + "/bk1/" + encode(k), "alice", k.getBytes(StandardCharsets.UTF_8));
      assertEquals(200, r.statusCode(), k + ": " + text(r));
    }
    for (String k : keys) {
      assertEquals(k, text(call("GET", S + "/bk1/" + encode(k), "alice", null)), k);
    }
    // sent unencoded, as SDKs do: the path climbs above "/", which Jetty alone would refuse
    HttpResponse<byte[]> climbing = call("PUT", S + "/bk1/../../../../../../../../tmp/climb.txt?x-id=PutObject", "alice",
        "c".getBytes());
    assertEquals(200, climbing.statusCode(), text(climbing));
    assertEquals("c", text(call("GET", S + "/bk1/../../../../../../../../tmp/climb.txt", "alice", null)));
    assertTrue(text(call("GET", S + "/bk1?prefix=../../../../../../../../tmp/", "alice", null))
        .contains("<Key>../../../../../../../../tmp/climb.txt</Key>"));
    assertEquals(200, call("PUT", S + "/bk1/%2e%2e/%2E%2E/z", "alice", "z".getBytes()).statusCode());
    assertEquals("z", text(call("GET", S + "/bk1/../../z", "alice", null)));
    String list = text(call("GET", S + "/bk1", "alice", null));
    assertTrue(list.contains("<Key>../../etc/passwd</Key>") && list.contains("<Key>100%25</Key>") && list.contains("<Key>..</Key>"), list);
    for (String f : w.filesOnDisk()) {
      assertTrue(Path.of(f).startsWith(home.resolve("bukkits/data")), f);
      assertTrue(Path.of(f).getFileName().toString().matches("[0-9a-f]{32}"), f);
    }
  }

  @Test
  void listingWithDelimiterPagesAndUrlEncoding() throws Exception {
    call("PUT", S + "/bk1", "alice", null);
    for (String k : new String[] {"a/1", "a/2", "b/1", "c", "d", "e f"}) {
      call("PUT", S + "/bk1/" + k.replace(" ", "%20"), "alice", new byte[0]);
    }
    String l = text(call("GET", S + "/bk1?delimiter=/&max-keys=2", "alice", null));
    assertTrue(l.contains("<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes>") && l.contains("<Prefix>b/</Prefix>"), l);
    assertTrue(l.contains("<IsTruncated>true</IsTruncated>") && l.contains("<NextMarker>b/</NextMarker>"), l);
    l = text(call("GET", S + "/bk1?delimiter=/&max-keys=2&marker=b/", "alice", null));
    assertTrue(l.contains("<Key>c</Key>") && l.contains("<Key>d</Key>") && !l.contains("<Prefix>b/"), l);
    call("PUT", S + "/bk1/" + encode("\uD83D\uDE00/x"), "alice", new byte[0]);
    l = text(call("GET", S + "/bk1?prefix=" + encode("\uD83D\uDE00/"), "alice", null));
    assertTrue(l.contains("<Key>\uD83D\uDE00/x</Key>"), l);
    call("DELETE", S + "/bk1/" + encode("\uD83D\uDE00/x"), "alice", null);
    l = text(call("GET", S + "/bk1?prefix=a/&encoding-type=url", "alice", null));
    assertTrue(l.contains("<Key>a%2F1</Key>") && l.contains("<EncodingType>url</EncodingType>"), l);
    l = text(call("GET", S + "/bk1?list-type=2&max-keys=3", "alice", null));
    assertTrue(l.contains("<KeyCount>3</KeyCount>") && l.contains("<NextContinuationToken>"), l);
    String token = l.replaceAll("(?s).*<NextContinuationToken>(.*)</NextContinuationToken>.*", "$1");
    l = text(call("GET", S + "/bk1?list-type=2&continuation-token=" + token, "alice", null));
    assertTrue(l.contains("<Key>c</Key>") && l.contains("<Key>e f</Key>") && !l.contains("<Key>a/1</Key>"), l);
  }

  @Test
  void copyDeleteObjectsAndLimits() throws Exception {
    call("PUT", S + "/bk1", "alice", null);
    call("PUT", S + "/bk1/src", "alice", "payload".getBytes(), "x-amz-meta-a", "1", "Content-Type", "text/x-one");
    HttpResponse<byte[]> c = call("PUT", S + "/bk1/dst", "alice", null, "x-amz-copy-source", "/bk1/src");
    assertTrue(text(c).contains("<CopyObjectResult"), text(c));
    HttpResponse<byte[]> got = call("GET", S + "/bk1/dst", "alice", null);
    assertEquals("payload", text(got));
    assertEquals("1", got.headers().firstValue("x-amz-meta-a").orElseThrow());
    call("PUT", S + "/bk1/dst2", "alice", null, "x-amz-copy-source", "bk1/src", "x-amz-metadata-directive", "REPLACE",
        "Content-Type", "text/x-two");
    got = call("GET", S + "/bk1/dst2", "alice", null);
    assertEquals("text/x-two", got.headers().firstValue("Content-Type").orElseThrow());
    assertTrue(got.headers().firstValue("x-amz-meta-a").isEmpty());
    assertError(call("PUT", S + "/bk1/src", "alice", null, "x-amz-copy-source", "bk1/src"), 400, "InvalidRequest");

    String del = "<Delete><Object><Key>src</Key></Object><Object><Key>dst</Key></Object><Object><Key>none</Key></Object></Delete>";
    HttpResponse<byte[]> d = call("POST", S + "/bk1?delete", "alice", del.getBytes());
    assertTrue(text(d).contains("<Deleted><Key>src</Key></Deleted>") && text(d).contains("<Key>none</Key>"), text(d));
    String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest("x".getBytes()));
    assertError(call("POST", S + "/bk1?delete", "alice", del.getBytes(), "Content-MD5", md5), 400, "BadDigest");
    assertEquals(1, w.filesOnDisk().size());
    // with the body's own Content-MD5 (older SDKs, boto, awscli 2.9): accepted
    call("PUT", S + "/bk1/again", "alice", "again".getBytes());
    String del2 = "<Delete><Quiet>true</Quiet><Object><Key>again</Key></Object></Delete>";
    String rightMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(del2.getBytes()));
    HttpResponse<byte[]> d2 = call("POST", S + "/bk1?delete", "alice", del2.getBytes(), "Content-MD5", rightMd5);
    assertEquals(200, d2.statusCode(), text(d2));
    assertFalse(text(d2).contains("<Deleted>"), "Quiet lists only failures: " + text(d2));
    assertError(call("GET", S + "/bk1/again", "alice", null), 404, "NoSuchKey");
    assertError(call("POST", S + "/bk1?delete", "bob", del2.getBytes()), 403, "AccessDenied");
    assertEquals(1, w.filesOnDisk().size());

    for (int i = 2; i <= 5; i++) {
      assertEquals(200, call("PUT", S + "/bk" + i, "alice", null).statusCode());
    }
    assertError(call("PUT", S + "/bk6", "alice", null), 400, "TooManyBuckets");
    w.maxBucketMb = 1;
    assertError(call("PUT", S + "/bk2/big", "alice", new byte[2 * 1024 * 1024]), 400, "EntityTooLarge");
    assertEquals(1, w.filesOnDisk().size());
  }

  @Test
  void hostNamesRouteToWalrusOrOnToEc2() throws Exception {
    call("PUT", S + "/vbk", "alice", null);
    call("PUT", S + "/vbk/k1", "alice", "v".getBytes());
    assertEquals("v", text(call("GET", "/k1", "alice", null, "Host", "vbk.s3.example.test:8773")));
    assertEquals("v", text(call("GET", "/vbk/k1", "alice", null, "Host", "walrus.example.test")));
    assertTrue(text(call("GET", "/", "alice", null, "Host", "s3.example.test")).contains("<Name>vbk</Name>"));
    assertEquals("ec2", text(call("GET", "/", "alice", null, "Host", "ec2.example.test")));
    assertEquals("ec2", text(call("GET", "/services/Eucalyptus", "alice", null)));
  }

  @Test
  void cleanupRemovesTempAndUnreferencedFilesOnly() throws Exception {
    call("PUT", S + "/bk1", "alice", null);
    call("PUT", S + "/bk1/keep", "alice", "keep".getBytes());
    Path tmp = home.resolve("bukkits/tmp/0123456789abcdef0123456789abcdef");
    java.nio.file.Files.writeString(tmp, "partial");
    Path orphan = home.resolve("bukkits/data/ab/ab23456789abcdef0123456789abcdef");
    java.nio.file.Files.createDirectories(orphan.getParent());
    java.nio.file.Files.writeString(orphan, "renamed but never committed");
    assertEquals(2, w.walrus.cleanup());
    assertFalse(java.nio.file.Files.exists(tmp));
    assertFalse(java.nio.file.Files.exists(orphan));
    assertEquals("keep", text(call("GET", S + "/bk1/keep", "alice", null)));
  }

  static String between(String s, String tag) {
    return s.replaceAll("(?s).*<" + tag + ">(.*?)</" + tag + ">.*", "$1");
  }

  @Test
  void multipartUploadAssemblesPartsInOrder() throws Exception {
    call("PUT", S + "/mpu", "alice", null);
    String init = text(call("POST", S + "/mpu/big%20file?uploads", "alice", null, "Content-Type", "video/x-test"));
    String id = between(init, "UploadId");
    byte[] p1 = new byte[5 * 1024 * 1024];
    byte[] p2 = "tail".getBytes();
    new Random(3).nextBytes(p1);
    String e2 = call("PUT", S + "/mpu/big%20file?partNumber=2&uploadId=" + id, "alice", p2).headers().firstValue("ETag").orElseThrow();
    String e1 = call("PUT", S + "/mpu/big%20file?partNumber=1&uploadId=" + id, "alice", p1).headers().firstValue("ETag").orElseThrow();
    assertError(call("PUT", S + "/mpu/big%20file?partNumber=1&uploadId=" + id, "bob", p2), 403, "AccessDenied");
    assertEquals(0, w.walrus.cleanup(), "the parts of an upload in progress are referenced: cleanup keeps them");
    String parts = text(call("GET", S + "/mpu/big%20file?uploadId=" + id, "alice", null));
    assertTrue(parts.contains("<PartNumber>1</PartNumber>") && parts.contains("<Size>4</Size>"), parts);
    assertTrue(text(call("GET", S + "/mpu?uploads", "alice", null)).contains("<UploadId>" + id + "</UploadId>"));
    String bad = "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>" + e2 + "</ETag></Part>"
        + "<Part><PartNumber>1</PartNumber><ETag>" + e1 + "</ETag></Part></CompleteMultipartUpload>";
    assertError(call("POST", S + "/mpu/big%20file?uploadId=" + id, "alice", bad.getBytes()), 400, "InvalidPartOrder");
    String done = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + e1 + "</ETag></Part>"
        + "<Part><PartNumber>2</PartNumber><ETag>" + e2 + "</ETag></Part></CompleteMultipartUpload>";
    String result = text(call("POST", S + "/mpu/big%20file?uploadId=" + id, "alice", done.getBytes()));
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    md5.update(HexFormat.of().parseHex(e1.replace("\"", "")));
    md5.update(HexFormat.of().parseHex(e2.replace("\"", "")));
    assertEquals("\"" + HexFormat.of().formatHex(md5.digest()) + "-2\"", between(result, "ETag").replace("&quot;", "\""), result);
    HttpResponse<byte[]> got = call("GET", S + "/mpu/big%20file", "alice", null);
    byte[] whole = new byte[p1.length + p2.length];
    System.arraycopy(p1, 0, whole, 0, p1.length);
    System.arraycopy(p2, 0, whole, p1.length, p2.length);
    assertArrayEquals(whole, got.body());
    assertEquals("video/x-test", got.headers().firstValue("Content-Type").orElseThrow());
    assertFalse(text(call("GET", S + "/mpu?uploads", "alice", null)).contains("<UploadId>"));
    assertEquals(1, w.filesOnDisk().size(), "the part files are gone, the object's file stays");

    String id2 = between(text(call("POST", S + "/mpu/gone?uploads", "alice", null)), "UploadId");
    call("PUT", S + "/mpu/gone?partNumber=1&uploadId=" + id2, "alice", p2);
    assertEquals(204, call("DELETE", S + "/mpu/gone?uploadId=" + id2, "alice", null).statusCode());
    assertError(call("GET", S + "/mpu/gone?uploadId=" + id2, "alice", null), 404, "NoSuchUpload");
    assertEquals(1, w.filesOnDisk().size());
  }

  /**
   * UploadPartCopy: a part copied from a range of one object, another copied whole from a second;
   * the copy-source range is read as S3 reads it (only bytes=first-last, wholly inside the source).
   */
  @Test
  void uploadPartCopyTakesRangesOnlyInsideTheSource() throws Exception {
    call("PUT", S + "/upc", "alice", null);
    byte[] big = new byte[6 * 1024 * 1024];
    new Random(7).nextBytes(big);
    byte[] small = "the small tail".getBytes(StandardCharsets.UTF_8);
    call("PUT", S + "/upc/big", "alice", big);
    call("PUT", S + "/upc/small", "alice", small);
    String id = between(text(call("POST", S + "/upc/joined?uploads", "alice", null)), "UploadId");
    String part = S + "/upc/joined?uploadId=" + id + "&partNumber=";
    int fiveMb = 5 * 1024 * 1024;

    // S3 refuses, rather than cuts short, a range past the end; a suffix or open range is no copy range
    for (String bad : List.of("bytes=0-" + big.length, "bytes=" + big.length + "-" + (big.length + 9), "bytes=5-4")) {
      HttpResponse<byte[]> r = call("PUT", part + 1, "alice", null, "x-amz-copy-source", "/upc/big",
          "x-amz-copy-source-range", bad);
      assertError(r, 400, "InvalidArgument");
      assertTrue(text(r).contains("source object of size: " + big.length), bad + ": " + text(r));
    }
    for (String bad : List.of("bytes=-100", "bytes=100-", "bytes=0-1,5-6", "0-100")) {
      assertError(call("PUT", part + 1, "alice", null, "x-amz-copy-source", "/upc/big", "x-amz-copy-source-range", bad),
          400, "InvalidArgument");
    }
    assertFalse(text(call("GET", S + "/upc/joined?uploadId=" + id, "alice", null)).contains("<Part>"),
        "no part stored by a refused copy");

    HttpResponse<byte[]> p1 = call("PUT", part + 1, "alice", null, "x-amz-copy-source", "/upc/big",
        "x-amz-copy-source-range", "bytes=0-" + (fiveMb - 1));
    assertEquals(200, p1.statusCode(), text(p1));
    String e1 = between(text(p1), "ETag").replace("&quot;", "\"");
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    assertEquals("\"" + HexFormat.of().formatHex(md5.digest(java.util.Arrays.copyOf(big, fiveMb))) + "\"", e1);
    HttpResponse<byte[]> p2 = call("PUT", part + 2, "alice", null, "x-amz-copy-source", "upc/small");
    assertEquals(200, p2.statusCode(), text(p2));
    assertTrue(text(p2).contains("<CopyPartResult") && text(p2).contains("<LastModified>"), text(p2));
    String e2 = between(text(p2), "ETag").replace("&quot;", "\"");
    String done = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + e1 + "</ETag></Part>"
        + "<Part><PartNumber>2</PartNumber><ETag>" + e2 + "</ETag></Part></CompleteMultipartUpload>";
    assertEquals(200, call("POST", S + "/upc/joined?uploadId=" + id, "alice", done.getBytes()).statusCode());
    byte[] whole = new byte[fiveMb + small.length];
    System.arraycopy(big, 0, whole, 0, fiveMb);
    System.arraycopy(small, 0, whole, fiveMb, small.length);
    assertArrayEquals(whole, call("GET", S + "/upc/joined", "alice", null).body());
    assertArrayEquals(big, call("GET", S + "/upc/big", "alice", null).body(), "the source is untouched");
  }

  static byte[] form(String boundary, byte[] file, String... fields) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.length; i += 2) {
      sb.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(fields[i])
          .append("\"\r\n\r\n").append(fields[i + 1]).append("\r\n");
    }
    sb.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n")
        .append("Content-Type: image/jpeg\r\n\r\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"submit\"\r\n\r\nUpload\r\n--"
        + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + file.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(file, 0, all, head.length, file.length);
    System.arraycopy(tail, 0, all, head.length + file.length, tail.length);
    return all;
  }

  @Test
  void browserPostFormUploadChecksThePolicy() throws Exception {
    call("PUT", S + "/forms", "alice", null);
    String policy = Base64.getEncoder().encodeToString(("{\"expiration\": \"2100-01-01T00:00:00Z\", \"conditions\": ["
        + "{\"bucket\": \"forms\"}, [\"starts-with\", \"$key\", \"up/\"], {\"success_action_status\": \"201\"},"
        + "[\"starts-with\", \"$Content-Type\", \"image/\"], [\"content-length-range\", 1, 100000], {\"x-test-user\": \"alice\"}]}")
        .getBytes(StandardCharsets.UTF_8));
    byte[] data = new byte[70000];
    new Random(5).nextBytes(data);
    // bytes that look like the start of a boundary must not end the file
    System.arraycopy("\r\n--XyZ".getBytes(), 0, data, 100, 7);
    String boundary = "XyZboundary";
    HttpResponse<byte[]> r = call("POST", S + "/forms", null,
        form(boundary, data, "key", "up/${filename}", "policy", policy, "x-test-user", "alice", "success_action_status", "201",
            "Content-Type", "image/jpeg"),
        "Content-Type", "multipart/form-data; boundary=" + boundary);
    assertEquals(201, r.statusCode(), text(r));
    assertTrue(text(r).contains("<Key>up/photo.jpg</Key>"), text(r));
    HttpResponse<byte[]> got = call("GET", S + "/forms/up/photo.jpg", "alice", null);
    assertArrayEquals(data, got.body());
    assertEquals("image/jpeg", got.headers().firstValue("Content-Type").orElseThrow());

    r = call("POST", S + "/forms", null, form(boundary, data, "key", "other/x", "policy", policy, "x-test-user", "alice",
        "success_action_status", "201", "Content-Type", "image/jpeg"), "Content-Type", "multipart/form-data; boundary=" + boundary);
    assertError(r, 403, "AccessDenied");
    r = call("POST", S + "/forms", null, form(boundary, new byte[200000], "key", "up/big", "policy", policy, "x-test-user",
        "alice", "success_action_status", "201", "Content-Type", "image/jpeg"), "Content-Type", "multipart/form-data; boundary=" + boundary);
    assertError(r, 400, "EntityTooLarge");
    // refused before the whole body was read: the client is told not to reuse the connection
    assertEquals("close", r.headers().firstValue("Connection").orElse(""), r.headers().toString());
    r = call("POST", S + "/forms", null, form(boundary, data, "key", "anon"), "Content-Type", "multipart/form-data; boundary=" + boundary);
    assertError(r, 403, "AccessDenied");
    call("PUT", S + "/forms?acl", "alice", null, "x-amz-acl", "public-read-write");
    r = call("POST", S + "/forms", null, form(boundary, "hi".getBytes(), "key", "anon", "success_action_redirect",
        "http://example.test/done"), "Content-Type", "multipart/form-data; boundary=" + boundary);
    assertEquals(303, r.statusCode(), text(r));
    assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith("http://example.test/done?bucket=forms&key=anon&etag="));
    assertEquals("hi", text(call("GET", S + "/forms/anon", "alice", null)));
  }

  @Test
  void parallelWritesToOneBucketAllCommitAndLeaveOneFilePerKey() throws Exception {
    call("PUT", S + "/busy", "alice", null);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      for (int i = 0; i < 5; i++) {
        int n = i;
        // keys k0..k3 are written by several threads at once: the last commit wins, whole
        results.add(pool.submit(() -> call("PUT", S + "/busy/k" + ((thread + n) % 4), "alice",
            new byte[100_000 + thread]).statusCode()));
      }
    }
    for (var f : results) {
      assertEquals(200, f.get());
    }
    pool.shutdown();
    assertEquals(4, w.filesOnDisk().size(), w.filesOnDisk().toString());
    for (int k = 0; k < 4; k++) {
      int size = call("GET", S + "/busy/k" + k, "alice", null).body().length;
      assertTrue(size >= 100_000 && size < 100_008, "a whole object: " + size);
    }
  }
}
