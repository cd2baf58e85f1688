package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.S3Http;
import com.eucalyptus.itests.support.WalrusCloud;
import com.eucalyptus.itests.support.s3.SdkOps;
import com.eucalyptus.itests.support.s3.SigV4;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What Walrus does when things go wrong: uploads cut off mid-body and a kill -9 of the CLC during
 * uploads leave the previous object or none, never a partial one, and no stray bytes in the
 * bukkits folder once it has cleaned up; key names built to climb out of the bucket stay keys;
 * bad requests get S3's XML errors and the daemon keeps serving; the limits follow the system
 * properties; a wrong checksum stores nothing; a 2 GiB object passes through a 256 MB heap.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalrusFaultsIT {
  static CloudInstallation cloud;
  static Credentials admin;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void bringUpWalrus() {
    cloud = WalrusCloud.startClcOnly("walrus-faults");
    admin = CloudInstallation.readEucarc(cloud.credentials("admin"));
  }

  @AfterAll
  static void tearDown() {
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  @Order(1)
  void killMinus9DuringUploadsThenRestartKeepsOldDataAndNoPartialObject() throws Exception {
    assertOk(S3Http.put(admin, "/crash", new byte[0]));
    byte[] kept = random(5 << 20, 11);
    byte[] v1 = random(1 << 20, 12);
    assertOk(S3Http.put(admin, "/crash/keep-5mb", kept));
    assertOk(S3Http.put(admin, "/crash/overwritten", v1));

    long pid = WalrusCloud.clcPid(cloud);
    byte[] half = random(40 << 20, 13);
    // two uploads in flight, 40 of 100 MB sent each: one overwriting an object, one new; then kill -9
    S3Http.cutOffPut(admin, "/crash/overwritten", 100L << 20, half,
        () -> S3Http.cutOffPut(admin, "/crash/new-partial", 100L << 20, half, () -> {
          sleep(1500);
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
          CloudInstallation.await(Duration.ofSeconds(30), "CLC pid " + pid + " gone",
              () -> ProcessHandle.of(pid).map(p -> p.isAlive() ? null : p).orElse(ProcessHandle.current()));
        }));
    CloudInstallation.await(Duration.ofSeconds(30), "port 8773 closed after kill -9",
        () -> CloudInstallation.portOpen(8773) ? null : Boolean.TRUE);

    cloud.start("cloud");
    WalrusCloud.awaitWalrus();

    assertBytes("the 5 MB object written before the crash", kept, S3Http.get(admin, "/crash/keep-5mb"));
    assertBytes("an object whose overwrite was cut by the crash keeps its old bytes", v1,
        S3Http.get(admin, "/crash/overwritten"));
    S3Http.Response partial = S3Http.get(admin, "/crash/new-partial");
    assertEquals(404, partial.status(), "no partial object: " + partial);
    assertEquals("NoSuchKey", partial.errorCode(), partial.toString());
    assertEquals(List.of("keep-5mb", "overwritten"), keys("crash"));
    // after the restart's cleanup pass, the bukkits folder holds the live objects' bytes and nothing else
    awaitNoStrayBytes();
  }

  @Test
  @Order(2)
  void uploadCutOffMidBodyLeavesThePreviousVersionOrNothing() {
    assertOk(S3Http.put(admin, "/cutoff", new byte[0]));
    byte[] v1 = random(1 << 20, 21);
    assertOk(S3Http.put(admin, "/cutoff/victim", v1));
    byte[] half = random(2 << 20, 22);
    S3Http.cutOffPut(admin, "/cutoff/victim", 4L << 20, half, null);
    S3Http.cutOffPut(admin, "/cutoff/fresh", 4L << 20, half, null);
    // a body cut after its headers only
    S3Http.cutOffPut(admin, "/cutoff/headers-only", 1L << 20, new byte[0], null);

    assertBytes("the object whose overwrite was cut off", v1, S3Http.get(admin, "/cutoff/victim"));
    for (String k : List.of("fresh", "headers-only")) {
      S3Http.Response r = S3Http.get(admin, "/cutoff/" + k);
      assertEquals(404, r.status(), k + ": " + r);
      assertEquals("NoSuchKey", r.errorCode(), r.toString());
    }
    assertEquals(List.of("victim"), keys("cutoff"));
    awaitNoStrayBytes();
  }

  @Test
  @Order(3)
  void keyNamesThatLookLikePathsStayInsideTheBucket() throws Exception {
    Path home = cloud.home();
    Path bukkits = WalrusCloud.bukkits(cloud);
    Set<Path> before = filesOutside(home, bukkits);
    List<String> keys = List.of("../escape-1.txt", "..%2Fescape-2.txt", "a/../../escape-3.txt",
"..\\..\\escape-5.txt", "ünïcødé/ключ/鍵.txt",
        "with space/and  two.txt", "100% sure.txt", "%2e%2e/%2e%2e/escape-6.txt", "./dot/./x.txt");
    try (SdkOps sdk = new SdkOps(admin)) {
      sdk.makeBucket("names");
      for (int i = 0; i < keys.size(); i++) {
        String key = keys.get(i);
        try {
          sdk.client().putObject(b -> b.bucket("names").key(key),
              RequestBody.fromBytes(("content " + key).getBytes(StandardCharsets.UTF_8)));
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
          throw new AssertionError("PUT of key " + key + ": HTTP " + e.statusCode() + " " + e.awsErrorDetails()
              + " " + e.awsErrorDetails().sdkHttpResponse().headers(), e);
        }
      }
      // the same kind of names sent raw, percent-encoded by hand
      assertOk(S3Http.put(admin, "/names/%2E%2E%2F%2E%2E%2Fescape-7.txt", "raw 7".getBytes(StandardCharsets.UTF_8)));
      assertOk(S3Http.put(admin, "/names/..%2Fescape-8.txt", "raw 8".getBytes(StandardCharsets.UTF_8)));

      List<String> expected = new ArrayList<>(keys);
      expected.add("../../escape-7.txt");
      expected.add("../escape-8.txt");
      assertEquals(new TreeSet<>(expected), new TreeSet<>(sdk.allKeysPaged("names", 1000)),
          "every key listed exactly as it was written");
      for (String key : keys) {
        String got = sdk.client().getObjectAsBytes(b -> b.bucket("names").key(key)).asUtf8String();
        assertEquals("content " + key, got, "round trip of " + key);
      }
      assertEquals("raw 7", S3Http.get(admin, "/names/..%2F..%2Fescape-7.txt").text());
      assertEquals("raw 8", sdk.client().getObjectAsBytes(b -> b.bucket("names").key("../escape-8.txt")).asUtf8String());
    }
    assertFalse(Files.exists(Path.of("/tmp/walrus-escape-4.txt")), "nothing written to /tmp");
    Set<Path> after = filesOutside(home, bukkits);
    after.removeAll(before);
    after.removeIf(p -> p.toString().contains("/var/log/") || p.toString().contains("/db/")
        || p.toString().contains("/var/run/"));
    assertEquals(Set.of(), after, "files that appeared outside the bukkits folder");
    try (Stream<Path> s = Files.walk(home); Stream<Path> tmp = Files.list(Path.of("/tmp"))) {
      List<String> escaped = Stream.concat(s.filter(p -> !p.startsWith(bukkits)), tmp)
          .filter(p -> p.getFileName() != null && p.getFileName().toString().contains("escape-"))
          .map(Path::toString).toList();
      assertEquals(List.of(), escaped, "no file named like a key outside the bukkits folder");
    }
  }

  @Test
  @Order(5)
  void aKeyWhosePathClimbsAboveTheUrlRootIsStillJustAKey() {
    String key = "../../../../../../../../tmp/walrus-escape-4.txt";
    try (SdkOps sdk = new SdkOps(admin)) {
      sdk.makeBucket("climb");
      sdk.client().putObject(b -> b.bucket("climb").key(key), RequestBody.fromBytes("climbed".getBytes(StandardCharsets.UTF_8)));
      assertEquals(List.of(key), sdk.allKeysPaged("climb", 1000));
      assertEquals("climbed", sdk.client().getObjectAsBytes(b -> b.bucket("climb").key(key)).asUtf8String());
    }
    assertFalse(Files.exists(Path.of("/tmp/walrus-escape-4.txt")), "nothing written to /tmp");
    assertFalse(Files.exists(cloud.home().resolve("tmp/walrus-escape-4.txt")));
  }

  @Test
  @Order(4)
  void badRequestsGetS3XmlErrorsAndTheDaemonStaysUp() throws Exception {
    long pid = WalrusCloud.clcPid(cloud);
    assertOk(S3Http.put(admin, "/errors", new byte[0]));
    assertOk(S3Http.put(admin, "/errors/present", "here".getBytes(StandardCharsets.UTF_8)));

    assertError(404, "NoSuchBucket", S3Http.get(admin, "/no-such-bucket-here/"));
    assertError(404, "NoSuchBucket", S3Http.get(admin, "/no-such-bucket-here/key"));
    assertError(404, "NoSuchKey", S3Http.get(admin, "/errors/absent"));
    assertError(409, "BucketNotEmpty", S3Http.delete(admin, "/errors"));
    for (String bad : List.of("ab", "-starts-with-dash", "a".repeat(256))) {
      assertError(400, "InvalidBucketName", S3Http.put(admin, "/" + bad, new byte[0]));
    }

    // a wrong Content-MD5: refused, nothing stored, the old version kept
    byte[] body = "the real body".getBytes(StandardCharsets.UTF_8);
    String wrongMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(
        "another body".getBytes(StandardCharsets.UTF_8)));
    assertError(400, "BadDigest", S3Http.request("PUT", "/errors/digest").header("Content-MD5", wrongMd5)
        .body(body).as(admin).send());
    assertError(404, "NoSuchKey", S3Http.get(admin, "/errors/digest"));
    assertError(400, "BadDigest", S3Http.request("PUT", "/errors/present").header("Content-MD5", wrongMd5)
        .body(body).as(admin).send());
    assertEquals("here", S3Http.get(admin, "/errors/present").text());
    String rightMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
    assertOk(S3Http.request("PUT", "/errors/digest").header("Content-MD5", rightMd5).body(body).as(admin).send());

    // wrong secret, unknown key
    Credentials wrongSecret = new Credentials(admin.accessKey(), admin.secretKey() + "x", null, null);
    assertError(403, "SignatureDoesNotMatch", S3Http.get(wrongSecret, "/errors/present"));
    assertError(403, "SignatureDoesNotMatch", S3Http.put(wrongSecret, "/errors/present", new byte[] {1}));
    assertEquals("here", S3Http.get(admin, "/errors/present").text());
    Credentials unknown = new Credentials("NOSUCHACCESSKEY00000", admin.secretKey(), null, null);
    assertError(403, "InvalidAccessKeyId", S3Http.get(unknown, "/errors/present"));

    // the sixth bucket of a user, with the default limit of 5
    Credentials erin = WalrusCloud.addUser(cloud, "erin", "erin@example.com");
    for (int i = 1; i <= 5; i++) {
      assertOk(S3Http.put(erin, "/erin-bucket-" + i, new byte[0]));
    }
    assertError(400, "TooManyBuckets", S3Http.put(erin, "/erin-bucket-6", new byte[0]));
    assertEquals(5, S3Http.get(erin, "/").all("Name").size(), "erin has five buckets");

    assertEquals(pid, WalrusCloud.clcPid(cloud), "the same CLC process still runs");
    assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertOk(S3Http.get(admin, "/"));
  }

  @Test
  @Order(6)
  void theLimitsAreTheSystemPropertiesOfTheMoment() {
    Credentials frank = WalrusCloud.addUser(cloud, "frank", "frank@example.com");
    try {
      cloud.eucaConf("--set-property", "walrus.max.buckets.per.user=2").assertOk();
      assertOk(S3Http.put(frank, "/frank-1", new byte[0]));
      assertOk(S3Http.put(frank, "/frank-2", new byte[0]));
      assertError(400, "TooManyBuckets", S3Http.put(frank, "/frank-3", new byte[0]));
      cloud.eucaConf("--set-property", "walrus.max.buckets.per.user=3").assertOk();
      assertOk(S3Http.put(frank, "/frank-3", new byte[0]));

      cloud.eucaConf("--set-property", "walrus.max.bucket.size.mb=1").assertOk();
      byte[] first = random(600 << 10, 61);
      assertOk(S3Http.put(frank, "/frank-1/first", first));
      assertError(400, "EntityTooLarge", S3Http.put(frank, "/frank-1/second", random(600 << 10, 62)));
      assertError(404, "NoSuchKey", S3Http.get(frank, "/frank-1/second"));
      assertOk(S3Http.put(frank, "/frank-2/elsewhere", random(600 << 10, 63))); // the limit is per bucket
      assertBytes("the object stored before the refusal", first, S3Http.get(frank, "/frank-1/first"));
      cloud.eucaConf("--set-property", "walrus.max.bucket.size.mb=2").assertOk();
      assertOk(S3Http.put(frank, "/frank-1/second", random(600 << 10, 62)));
    } finally {
      cloud.eucaConf("--set-property", "walrus.max.buckets.per.user=5").assertOk();
      cloud.eucaConf("--set-property", "walrus.max.bucket.size.mb=5120").assertOk();
    }
  }

  @Test
  @Order(7)
  void aWrongChecksumIsRefusedAndNothingIsStored() throws Exception {
    Credentials gina = WalrusCloud.addUser(cloud, "gina", "gina@example.com"); // the administrator has 5 buckets
    assertOk(S3Http.put(gina, "/sums", new byte[0]));
    byte[] old = "the old version".getBytes(StandardCharsets.UTF_8);
    assertOk(S3Http.put(gina, "/sums/kept", old));
    byte[] data = random(300_000, 71);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(data);
    String right = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    String wrong = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue() + 1).array());

    // the Java SDK with a CRC32 given in the x-amz-checksum-crc32 header that is not the body's
    try (SdkOps sdk = new SdkOps(gina)) {
      for (String key : List.of("kept", "sdk-new")) {
        var e = org.junit.jupiter.api.Assertions.assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class,
            () -> sdk.client().putObject(b -> b.bucket("sums").key(key).checksumCRC32(wrong), RequestBody.fromBytes(data)));
        assertEquals(400, e.statusCode(), e.toString());
        assertEquals("BadDigest", e.awsErrorDetails().errorCode(), e.toString());
      }
      sdk.client().putObject(b -> b.bucket("sums").key("sdk-right").checksumCRC32(right), RequestBody.fromBytes(data));
    }
    // aws-chunked bodies with the checksum in a trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER, v4), sent by hand
    assertError(400, "BadDigest", trailerPut(gina, "/sums/kept", data, wrong));
    assertError(400, "BadDigest", trailerPut(gina, "/sums/trailer-new", data, wrong));
    assertOk(trailerPut(gina, "/sums/trailer-right", data, right));

    assertBytes("the old version of an object whose overwrite had a wrong checksum", old, S3Http.get(gina, "/sums/kept"));
    assertBytes("stored with the right checksum (SDK)", data, S3Http.get(gina, "/sums/sdk-right"));
    assertBytes("stored with the right checksum (trailer)", data, S3Http.get(gina, "/sums/trailer-right"));
    assertEquals(List.of("kept", "sdk-right", "trailer-right"), S3Http.get(gina, "/sums").all("Key"));
  }

  /** A v4 PUT whose body is UNSIGNED-PAYLOAD (what botocore sends over HTTPS): stored as sent, Content-MD5 still checked. */
  @Test
  @Order(8)
  void anUnsignedPayloadIsStoredAsSent() throws Exception {
    Credentials ivy = WalrusCloud.addUser(cloud, "ivy", "ivy@example.com");
    assertOk(S3Http.put(ivy, "/unsigned", new byte[0]));
    byte[] data = random(200_000, 81);
    String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    assertOk(unsignedPut(ivy, "/unsigned/as-sent", data, md5));
    assertBytes("an UNSIGNED-PAYLOAD body", data, S3Http.get(ivy, "/unsigned/as-sent"));
    String otherMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(new byte[1]));
    assertError(400, "BadDigest", unsignedPut(ivy, "/unsigned/as-sent", random(1000, 82), otherMd5));
    assertBytes("kept after a BadDigest", data, S3Http.get(ivy, "/unsigned/as-sent"));
  }

  static S3Http.Response unsignedPut(Credentials c, String path, byte[] data, String contentMd5) {
    Map<String, String> headers = new java.util.TreeMap<>();
    headers.put("host", S3Http.HOST);
    headers.put("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    headers.put("content-md5", contentMd5);
    S3Http.Request r = S3Http.request("PUT", path).body(data);
    SigV4.sign(c, "PUT", S3Http.BASE_PATH + path, headers).forEach((k, v) -> {
      if (!k.equals("host")) {
        r.header(k, v);
      }
    });
    return r.send();
  }

  /** A PUT with an aws-chunked body (one chunk) whose trailer carries {@code crc32}, signed v4 (headers only). */
  static S3Http.Response trailerPut(Credentials c, String path, byte[] data, String crc32) {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(data);
    body.writeBytes(("\r\n0\r\nx-amz-checksum-crc32:" + crc32 + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    Map<String, String> headers = new java.util.TreeMap<>();
    headers.put("host", S3Http.HOST);
    headers.put("content-encoding", "aws-chunked");
    headers.put("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    headers.put("x-amz-decoded-content-length", Integer.toString(data.length));
    headers.put("x-amz-trailer", "x-amz-checksum-crc32");
    S3Http.Request r = S3Http.request("PUT", path).body(body.toByteArray());
    SigV4.sign(c, "PUT", S3Http.BASE_PATH + path, headers).forEach((k, v) -> {
      if (!k.equals("host")) {
        r.header(k, v);
      }
    });
    return r.send();
  }

  /**
   * An object of 2 GiB through a CLC whose heap is 256 MB: streamed in and out, never held in memory.
   * The bytes are made while they are sent, and compared by MD5 (the ETag) while they come back.
   */
  @Test
  @Order(9)
  void aTwoGigabyteObjectPassesThroughASmallHeap() throws Exception {
    cloud.stop("cloud");
    CloudInstallation.await(Duration.ofSeconds(60), "port 8773 closed", () -> CloudInstallation.portOpen(8773) ? null : true);
    cloud.initd("cloud", "start", Map.of("EUCA_JAVA_OPTS", "-Xmx256m")).assertOk();
    WalrusCloud.awaitWalrus();
    String cmdline = Files.readString(Path.of("/proc/" + WalrusCloud.clcPid(cloud) + "/cmdline"));
    assertTrue(cmdline.contains("-Xmx256m"), "the CLC runs with a 256 MB heap: " + cmdline.replace('\0', ' '));

    long size = 2L << 30;
    Credentials hank = WalrusCloud.addUser(cloud, "hank", "hank@example.com");
    assertOk(S3Http.put(hank, "/large", new byte[0]));
    MessageDigest sent = MessageDigest.getInstance("MD5");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest.Builder put = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(S3Http.ENDPOINT + "/large/two-gib")).timeout(Duration.ofMinutes(15))
        .PUT(java.net.http.HttpRequest.BodyPublishers.fromPublisher(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.security.DigestInputStream(new GeneratedBytes(size, 81), sent)), size));
    v2Headers(hank, "PUT", "/large/two-gib").forEach(put::header);
    var putAnswer = http.send(put.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, putAnswer.statusCode(), putAnswer.body());
    String md5 = java.util.HexFormat.of().formatHex(sent.digest());
    assertEquals("\"" + md5 + "\"", putAnswer.headers().firstValue("ETag").orElseThrow());

    java.net.http.HttpRequest.Builder get = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(S3Http.ENDPOINT + "/large/two-gib")).timeout(Duration.ofMinutes(15)).GET();
    v2Headers(hank, "GET", "/large/two-gib").forEach(get::header);
    var getAnswer = http.send(get.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, getAnswer.statusCode());
    MessageDigest received = MessageDigest.getInstance("MD5");
    long n = 0;
    try (java.io.InputStream in = getAnswer.body()) {
      byte[] buf = new byte[1 << 16];
      for (int k; (k = in.read(buf)) > 0; n += k) {
        received.update(buf, 0, k);
      }
    }
    assertEquals(size, n);
    assertEquals(md5, java.util.HexFormat.of().formatHex(received.digest()), "the 2 GiB came back byte for byte");
    assertEquals(204, S3Http.delete(hank, "/large/two-gib").status());
    assertTrue(ProcessHandle.of(WalrusCloud.clcPid(cloud)).map(ProcessHandle::isAlive).orElse(false), "the CLC still runs");
  }

  static Map<String, String> v2Headers(Credentials c, String method, String path) {
    Map<String, String> h = new java.util.LinkedHashMap<>();
    h.put("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)));
    h.put("Authorization", S3Http.authorization(c.accessKey(), c.secretKey(), method, path, "", h));
    return h;
  }

  /** {@code size} pseudo-random bytes, made as they are read. */
  static final class GeneratedBytes extends java.io.InputStream {
    private final Random random;
    private long left;
    private final byte[] block = new byte[1 << 16];
    private int at = block.length;

    GeneratedBytes(long size, long seed) {
      this.left = size;
      this.random = new Random(seed);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      if (at == block.length) {
        random.nextBytes(block);
        at = 0;
      }
      int n = (int) Math.min(Math.min(len, block.length - at), left);
      System.arraycopy(block, at, b, off, n);
      at += n;
      left -= n;
      return n;
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void assertOk(S3Http.Response r) {
    assertEquals(200, r.status(), r.toString());
  }

  static void assertError(int status, String code, S3Http.Response r) {
    assertEquals(status, r.status(), code + ": " + r);
    assertEquals(code, r.errorCode(), r.toString());
    assertTrue(r.text().contains("<RequestId>") || r.text().contains("<Message>"), "S3 error document: " + r);
  }

  static void assertBytes(String what, byte[] expected, S3Http.Response r) {
    assertEquals(200, r.status(), what + ": " + r);
    assertEquals(expected.length, r.body().length, what + ": length");
    assertEquals(WalrusCloud.sha256(expected), WalrusCloud.sha256(r.body()), what + ": SHA-256");
  }

  static List<String> keys(String bucket) {
    S3Http.Response r = S3Http.get(admin, "/" + bucket);
    assertOk(r);
    return r.all("Key");
  }

  /** The admin's objects' sizes, summed over its buckets. */
  static long liveBytes() {
    long sum = 0;
    for (String bucket : S3Http.get(admin, "/").all("Name")) {
      for (String size : S3Http.get(admin, "/" + bucket).all("Size")) {
        sum += Long.parseLong(size);
      }
    }
    return sum;
  }

  /** The admin's objects, counted over its buckets. */
  static int liveObjects() {
    int n = 0;
    for (String bucket : S3Http.get(admin, "/").all("Name")) {
      n += S3Http.get(admin, "/" + bucket).all("Key").size();
    }
    return n;
  }

  /**
   * Waits (the cleanup pass may run a little later) until the bukkits folder holds only the live
   * objects: no file left in tmp/ (not even an empty one), one data file per object, and as many
   * bytes on disk as the objects hold.
   */
  static void awaitNoStrayBytes() {
    Path bukkits = WalrusCloud.bukkits(cloud);
    CloudInstallation.await(Duration.ofSeconds(60), "no stray bytes in " + bukkits, () -> {
      long onDisk = 0;
      int files = 0;
      int temp = 0;
      StringBuilder listing = new StringBuilder();
      try (Stream<Path> s = Files.walk(bukkits)) {
        for (Path p : s.filter(Files::isRegularFile).toList()) {
          onDisk += Files.size(p);
          files++;
          temp += p.startsWith(bukkits.resolve("tmp")) ? 1 : 0;
          listing.append(bukkits.relativize(p)).append(' ').append(Files.size(p)).append('\n');
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      long live = liveBytes();
      int objects = liveObjects();
      if (onDisk != live || files != objects || temp != 0) {
        throw new AssertionError(objects + " objects hold " + live + " bytes, the bukkits folder " + files + " files ("
            + temp + " in tmp/) of " + onDisk + ":\n" + listing);
      }
      return onDisk;
    });
  }

  static Set<Path> filesOutside(Path home, Path bukkits) throws IOException {
    try (Stream<Path> s = Files.walk(home)) {
      return new TreeSet<>(s.filter(p -> !p.startsWith(bukkits) && Files.isRegularFile(p)).toList());
    }
  }
}
