package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.S3Http;
import com.eucalyptus.itests.support.WalrusCloud;
import com.eucalyptus.itests.support.s3.AwsCliOps;
import com.eucalyptus.itests.support.s3.BotoOps;
import com.eucalyptus.itests.support.s3.PostForm;
import com.eucalyptus.itests.support.s3.S3Ops;
import com.eucalyptus.itests.support.s3.S3cmdOps;
import com.eucalyptus.itests.support.s3.SdkOps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Walrus acceptance round, done by each real S3 client in turn: s3cmd through the host-name
 * form (signature v2 path-style, signature v4 virtual-host style), awscli (v4), python3-boto (v2)
 * and the AWS SDK for Java v2 with its default settings. Each client, as its own user: makes
 * buckets; uploads and downloads 0 B, 1 B, 5 MB and 100 MB files byte for byte (SHA-256; the ETag of
 * a single PUT is the file's MD5, s3cmd and awscli send the 100 MB one in parts); lists
 * with a delimiter and page by page; copies; uploads in parts; changes an ACL that a second user
 * and an anonymous request then see; hands out a presigned URL that curl fetches; finds an object
 * a browser-style POST form put in its bucket; deletes everything again (one key alone, the rest
 * with its multi-object delete). Apart from the round: bucket locations and HEAD bucket, the SDK's
 * ranges, conditional GETs and stored headers, s3cmd paging past 1000 keys, UploadPartCopy (awscli's
 * multipart copy, the SDK's uploadPartCopy) and ListObjectsV2 start-after / fetch-owner.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalrusClientsIT {
  static final String DOMAIN = "cloud.example";
  static final String BOB_EMAIL = "bob@example.com";
  static CloudInstallation cloud;
  static Credentials bob;
  static Path work;
  /** name → file; the key of each is "data/" + name. */
  static final Map<String, Path> INPUTS = new LinkedHashMap<>();
  static Path twelveMb;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void bringUpWalrus() throws IOException {
    cloud = WalrusCloud.startClcOnly("walrus-clients");
    work = cloud.home().resolve("walrus-it");
    Path in = work.resolve("inputs");
    INPUTS.put("empty", WalrusCloud.randomFile(in, "empty", 0, 1));
    INPUTS.put("one", WalrusCloud.randomFile(in, "one", 1, 2));
    INPUTS.put("5mb", WalrusCloud.randomFile(in, "5mb", 5L << 20, 3));
    INPUTS.put("100mb", WalrusCloud.randomFile(in, "100mb", 100L << 20, 4));
    twelveMb = WalrusCloud.randomFile(in, "12mb", 12L << 20, 5);
    bob = WalrusCloud.addUser(cloud, "bob", BOB_EMAIL);
    // s3cmd reaches Walrus as s3.<cloud.dns.domain>
    cloud.eucaConf("--set-property", "cloud.dns.domain=" + DOMAIN).assertOk();
  }

  @AfterAll
  static void tearDown() {
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  @Order(1)
  void s3cmdSignatureV2HostNamePathStyle() {
    assumeMountNamespaces();
    Credentials c = WalrusCloud.addUser(cloud, "s3cmdtwo", "s3cmdtwo@example.com");
    fullRound(new S3cmdOps(c, work.resolve("s3cmd2"), DOMAIN, true, false, List.of()), c, "s3cmd2", false);
  }

  @Test
  @Order(2)
  void s3cmdSignatureV4HostNameVirtualHostStyle() {
    assumeMountNamespaces();
    Credentials c = WalrusCloud.addUser(cloud, "s3cmdfour", "s3cmdfour@example.com");
    fullRound(new S3cmdOps(c, work.resolve("s3cmd4"), DOMAIN, false, true, List.of("s3cmd4-main", "s3cmd4-copies")),
        c, "s3cmd4", true);
  }

  @Test
  @Order(3)
  void awscliSignatureV4() {
    Credentials c = WalrusCloud.addUser(cloud, "awscli", "awscli@example.com");
    fullRound(new AwsCliOps(c, work.resolve("awscli")), c, "awscli", true);
  }

  @Test
  @Order(4)
  void botoSignatureV2() {
    Credentials c = WalrusCloud.addUser(cloud, "boto", "boto@example.com");
    fullRound(new BotoOps(c), c, "boto", false);
  }

  @Test
  @Order(5)
  void javaSdkV2WithDefaultSettings() {
    Credentials c = WalrusCloud.addUser(cloud, "sdk", "sdk@example.com");
    try (SdkOps sdk = new SdkOps(c)) {
      fullRound(sdk, c, "sdk", true);
      // what its defaults sent: uploads as aws-chunked bodies with a checksum trailer, DeleteObjects with a
      // checksum header and no Content-MD5 (Walrus stored and deleted them all above)
      List<SdkOps.Sent> puts = sdk.sent().stream().filter(x -> x.operation().equals("PutObject")).toList();
      assertFalse(puts.isEmpty());
      for (SdkOps.Sent put : puts) {
        assertTrue(String.valueOf(put.header("x-amz-content-sha256")).matches("STREAMING-.*-TRAILER"),
            "PutObject body form: " + put.request().headers());
        assertTrue(String.valueOf(put.header("x-amz-trailer")).startsWith("x-amz-checksum-"),
            "PutObject trailer: " + put.request().headers());
      }
      List<SdkOps.Sent> deletes = sdk.sent().stream().filter(x -> x.operation().equals("DeleteObjects")).toList();
      assertEquals(2, deletes.size());
      for (SdkOps.Sent d : deletes) {
        assertEquals(null, d.header("Content-MD5"), "DeleteObjects without Content-MD5: " + d.request().headers());
        assertTrue(d.request().headers().keySet().stream().anyMatch(h -> h.toLowerCase().startsWith("x-amz-checksum-")),
            "DeleteObjects with a checksum header: " + d.request().headers());
      }
    }
  }

  /** With request checksums only where required, the SDK signs every chunk and sends no trailer. */
  @Test
  @Order(11)
  void javaSdkWithoutChecksumsSendsSignedChunks() {
    Credentials c = WalrusCloud.addUser(cloud, "sdkchunks", "sdkchunks@example.com");
    try (SdkOps sdk = new SdkOps(c, b -> b.requestChecksumCalculation(
        software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED))) {
      sdk.makeBucket("sdk-chunks");
      sdk.put("sdk-chunks", "5mb", INPUTS.get("5mb"));
      assertSameBytes("signed chunks, no trailer", INPUTS.get("5mb"), download(sdk, "sdk-chunks", "5mb"));
      assertEquals(md5(INPUTS.get("5mb")), sdk.etag("sdk-chunks", "5mb"));
      SdkOps.Sent put = sdk.sent().stream().filter(x -> x.operation().equals("PutObject")).findFirst().orElseThrow();
      assertEquals("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", put.header("x-amz-content-sha256"), put.request().headers().toString());
      assertEquals(null, put.header("x-amz-trailer"));
      sdk.delete("sdk-chunks", "5mb");
      sdk.removeBucket("sdk-chunks");
    }
  }

  @Test
  @Order(7)
  void bucketLocationAndHeadBucket() {
    // awscli (v4): a location constraint given, GetBucketLocation answers it, HEAD bucket finds the bucket
    Credentials c = WalrusCloud.addUser(cloud, "placer", "placer@example.com");
    AwsCliOps aws = new AwsCliOps(c, work.resolve("awscli-placer"));
    aws.run("s3api", "create-bucket", "--bucket", "placed-cli", "--create-bucket-configuration",
        "LocationConstraint=eucalyptus");
    assertEquals("eucalyptus", aws.run("s3api", "get-bucket-location", "--bucket", "placed-cli", "--query",
        "LocationConstraint", "--output", "text").stdout().trim());
    aws.run("s3api", "head-bucket", "--bucket", "placed-cli");
    var missing = aws.run(work.resolve("awscli-placer/aws-config"), "s3api", "head-bucket", "--bucket", "no-such-bucket-x");
    assertTrue(missing.exitCode() != 0 && missing.all().contains("404"), "head-bucket of a missing bucket: " + missing.all());
    var others = new AwsCliOps(bob, work.resolve("awscli-bob")).run(work.resolve("awscli-bob/aws-config"), "s3api",
        "head-bucket", "--bucket", "placed-cli");
    assertTrue(others.exitCode() != 0 && others.all().contains("403"), "head-bucket of another's bucket: " + others.all());
    // python3-boto (v2): create_bucket(location=...) and get_location()
    BotoOps boto = new BotoOps(c);
    assertEquals("LOCATION\tboto-place", boto.run("mbloc", "placed-boto", "boto-place").stdout().trim());
    // the Java SDK: without a constraint GetBucketLocation is empty; HEAD bucket answers with the region
    try (SdkOps sdk = new SdkOps(c)) {
      sdk.makeBucket("placed-sdk");
      assertEquals("", sdk.client().getBucketLocation(b -> b.bucket("placed-sdk")).locationConstraintAsString());
      assertEquals("eucalyptus", sdk.client().getBucketLocation(b -> b.bucket("placed-cli")).locationConstraintAsString());
      sdk.client().headBucket(b -> b.bucket("placed-sdk"));
      for (String b : List.of("placed-cli", "placed-boto", "placed-sdk")) {
        sdk.removeBucket(b);
      }
    }
  }

  @Test
  @Order(8)
  void javaSdkRangesConditionalGetsAndStoredHeaders() throws Exception {
    Credentials c = WalrusCloud.addUser(cloud, "sdkget", "sdkget@example.com");
    try (SdkOps sdk = new SdkOps(c)) {
      S3Client s3 = sdk.client();
      sdk.makeBucket("sdk-get");
      byte[] data = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
      Instant expires = Instant.parse("2094-12-01T16:00:00Z");
      String etag = s3.putObject(b -> b.bucket("sdk-get").key("k").contentType("text/x-test").contentEncoding("identity")
          .contentDisposition("attachment; filename=\"k.txt\"").contentLanguage("de").cacheControl("max-age=60")
          .expires(expires).metadata(Map.of("colour", "blue")), RequestBody.fromBytes(data)).eTag();

      var head = s3.headObject(b -> b.bucket("sdk-get").key("k"));
      assertEquals("text/x-test", head.contentType());
      assertEquals("identity", head.contentEncoding());
      assertEquals("attachment; filename=\"k.txt\"", head.contentDisposition());
      assertEquals("de", head.contentLanguage());
      assertEquals("max-age=60", head.cacheControl());
      assertEquals(expires, head.expires());
      assertEquals(Map.of("colour", "blue"), head.metadata());
      assertEquals(data.length, head.contentLength());

      var part = s3.getObjectAsBytes(b -> b.bucket("sdk-get").key("k").range("bytes=10-15"));
      assertEquals("abcdef", part.asUtf8String());
      assertEquals("bytes 10-15/36", part.response().contentRange());
      assertEquals("wxyz", s3.getObjectAsBytes(b -> b.bucket("sdk-get").key("k").range("bytes=-4")).asUtf8String());
      assertEquals(416, sdkError(() -> s3.getObjectAsBytes(b -> b.bucket("sdk-get").key("k").range("bytes=36-"))).statusCode());

      assertEquals(36, s3.getObjectAsBytes(b -> b.bucket("sdk-get").key("k").ifMatch(etag)).asByteArray().length);
      assertEquals(412, sdkError(() -> s3.getObjectAsBytes(b -> b.bucket("sdk-get").key("k").ifMatch("\"0\""))).statusCode());
      assertEquals(304, sdkError(() -> s3.getObjectAsBytes(b -> b.bucket("sdk-get").key("k").ifNoneMatch(etag))).statusCode());
      assertEquals(36, s3.getObjectAsBytes(b -> b.bucket("sdk-get").key("k").ifNoneMatch("\"0\"")).asByteArray().length);
      Instant past = Instant.parse("2010-01-01T00:00:00Z");
      Instant future = Instant.now().plusSeconds(86400);
      assertEquals(304, sdkError(() -> s3.getObjectAsBytes(b -> b.bucket("sdk-get").key("k").ifModifiedSince(future))).statusCode());
      assertEquals(36, s3.getObjectAsBytes(b -> b.bucket("sdk-get").key("k").ifModifiedSince(past)).asByteArray().length);
      assertEquals(412, sdkError(() -> s3.getObjectAsBytes(b -> b.bucket("sdk-get").key("k").ifUnmodifiedSince(past))).statusCode());
      assertEquals(36, s3.getObjectAsBytes(b -> b.bucket("sdk-get").key("k").ifUnmodifiedSince(future)).asByteArray().length);

      s3.deleteObject(b -> b.bucket("sdk-get").key("k"));
      sdk.removeBucket("sdk-get");
    }
  }

  @Test
  @Order(10)
  void javaSdkListsAndAbortsMultipartUploads() {
    Credentials c = WalrusCloud.addUser(cloud, "sdkmpu", "sdkmpu@example.com");
    try (SdkOps sdk = new SdkOps(c)) {
      S3Client s3 = sdk.client();
      sdk.makeBucket("sdk-mpu");
      String kept = s3.createMultipartUpload(b -> b.bucket("sdk-mpu").key("a/kept")).uploadId();
      String dropped = s3.createMultipartUpload(b -> b.bucket("sdk-mpu").key("b/dropped")).uploadId();
      s3.uploadPart(b -> b.bucket("sdk-mpu").key("b/dropped").uploadId(dropped).partNumber(1),
          RequestBody.fromBytes(new byte[1000]));
      assertEquals(List.of("a/kept", "b/dropped"), s3.listMultipartUploads(b -> b.bucket("sdk-mpu")).uploads().stream()
          .map(u -> u.key()).toList());
      assertEquals(List.of("b/dropped"), s3.listMultipartUploads(b -> b.bucket("sdk-mpu").prefix("b/")).uploads().stream()
          .map(u -> u.key()).toList());
      s3.abortMultipartUpload(b -> b.bucket("sdk-mpu").key("b/dropped").uploadId(dropped));
      assertEquals(List.of(kept), s3.listMultipartUploads(b -> b.bucket("sdk-mpu")).uploads().stream()
          .map(u -> u.uploadId()).toList());
      var gone = sdkError(() -> s3.listParts(b -> b.bucket("sdk-mpu").key("b/dropped").uploadId(dropped)));
      assertEquals(404, gone.statusCode());
      assertEquals("NoSuchUpload", gone.awsErrorDetails().errorCode());
      assertEquals(404, sdkError(() -> s3.headObject(b -> b.bucket("sdk-mpu").key("b/dropped"))).statusCode());
      s3.abortMultipartUpload(b -> b.bucket("sdk-mpu").key("a/kept").uploadId(kept));
      sdk.removeBucket("sdk-mpu");
    }
  }

  /**
   * s3cmd lets nobody choose its page size, so it pages only past 1000 keys: 1003 keys (put by hand,
   * in parallel) that s3cmd lists in full; a max-keys above 1000 gets 1000 and IsTruncated.
   */
  @Test
  @Order(9)
  void s3cmdPagesThroughMoreThanAThousandKeys() throws Exception {
    assumeMountNamespaces();
    Credentials c = WalrusCloud.addUser(cloud, "pager", "pager@example.com");
    assertEquals(200, S3Http.put(c, "/pages", new byte[0]).status());
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1003; i++) {
      keys.add(String.format("k/%04d", i));
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<S3Http.Response>> puts = new ArrayList<>();
      for (String k : keys) {
        puts.add(pool.submit(() -> S3Http.put(c, "/pages/" + k, new byte[] {1})));
      }
      for (var f : puts) {
        assertEquals(200, f.get().status(), f.get().toString());
      }
    } finally {
      pool.shutdown();
    }
    S3Http.Response capped = S3Http.request("GET", "/pages").query("max-keys=5000").as(c).send();
    assertEquals(1000, capped.all("Key").size(), "max-keys is capped at 1000");
    assertEquals(List.of("true"), capped.all("IsTruncated"));
    S3cmdOps s3cmd = new S3cmdOps(c, work.resolve("s3cmd-pager"), DOMAIN, true, false, List.of());
    assertEquals(keys, s3cmd.allKeysPaged("pages", 1000), "s3cmd follows the pages past the first 1000 keys");
    s3cmd.deleteAll("pages");
    assertEquals(List.of(), S3Http.get(c, "/pages").all("Key"), "s3cmd's batch deletes of 1000 and 3 keys");
    s3cmd.removeBucket("pages");
  }

  /**
   * awscli copies an object above its multipart threshold (5 MB here) in parts: one UploadPartCopy
   * with an x-amz-copy-source-range per 5 MB. The copy is byte-identical and keeps the source's
   * Content-Type, Cache-Control and metadata, as awscli copies them; a range past the source's end
   * is refused with S3's XML error, which awscli shows.
   */
  @Test
  @Order(12)
  void awscliCopiesALargeObjectWithUploadPartCopy() {
    Credentials c = WalrusCloud.addUser(cloud, "cliupc", "cliupc@example.com");
    AwsCliOps aws = new AwsCliOps(c, work.resolve("awscli-upc"));
    aws.makeBucket("cli-upc");
    aws.run("s3api", "put-object", "--bucket", "cli-upc", "--key", "big", "--body", twelveMb.toString(),
        "--content-type", "application/x-test", "--cache-control", "max-age=60", "--metadata", "colour=blue");
    String debug = aws.copyInParts("cli-upc", "big", "cli-upc", "copy/big").stderr();
    long size = 12L << 20;
    for (String range : List.of("bytes=0-5242879", "bytes=5242880-10485759", "bytes=10485760-" + (size - 1))) {
      assertTrue(debug.matches("(?s).*'x-amz-copy-source-range': b?'" + range + "'.*"),
          "awscli sent UploadPartCopy with " + range);
    }
    String head = aws.run("s3api", "head-object", "--bucket", "cli-upc", "--key", "copy/big", "--query",
        "[ETag, ContentType, CacheControl, Metadata.colour, ContentLength]", "--output", "text").stdout().trim();
    String[] f = head.split("\t");
    assertTrue(f[0].replace("\"", "").matches("[0-9a-f]{32}-3"), "a copy in 3 parts: " + head);
    assertEquals(List.of("application/x-test", "max-age=60", "blue", Long.toString(size)),
        List.of(f).subList(1, 5), "the copy's headers and metadata: " + head);
    assertSameBytes("awscli's multipart copy", twelveMb, download(aws, "cli-upc", "copy/big"));

    String uploadId = aws.run("s3api", "create-multipart-upload", "--bucket", "cli-upc", "--key", "bad", "--query",
        "UploadId", "--output", "text").stdout().trim();
    var refused = aws.run(work.resolve("awscli-upc/aws-config"), "s3api", "upload-part-copy", "--bucket", "cli-upc",
        "--key", "bad", "--upload-id", uploadId, "--part-number", "1", "--copy-source", "cli-upc/big",
        "--copy-source-range", "bytes=0-" + size);
    assertTrue(refused.exitCode() != 0 && refused.stderr().contains("(InvalidArgument)")
        && refused.stderr().contains("Range specified is not valid for source object of size: " + size),
        "a copy-source range past the end: " + refused.all());
    aws.run("s3api", "abort-multipart-upload", "--bucket", "cli-upc", "--key", "bad", "--upload-id", uploadId);
    aws.deleteAll("cli-upc");
    aws.removeBucket("cli-upc");
  }

  /**
   * The SDK's uploadPartCopy: two parts copied from ranges of one object, a third copied whole
   * (no range) from another; the result is their bytes in order, with the upload's own headers.
   * Ranges past the source's end: 400 InvalidArgument, as S3 answers.
   */
  @Test
  @Order(13)
  void javaSdkUploadPartCopyWithAndWithoutARange() throws IOException {
    Credentials c = WalrusCloud.addUser(cloud, "sdkupc", "sdkupc@example.com");
    try (SdkOps sdk = new SdkOps(c)) {
      S3Client s3 = sdk.client();
      sdk.makeBucket("sdk-upc");
      sdk.put("sdk-upc", "twelve", twelveMb);
      sdk.put("sdk-upc", "five", INPUTS.get("5mb"));
      String id = s3.createMultipartUpload(b -> b.bucket("sdk-upc").key("joined").contentType("application/x-joined")
          .metadata(Map.of("made-by", "uploadPartCopy"))).uploadId();
      long twelve = Files.size(twelveMb);
      var p1 = sdk.copyPart("sdk-upc", "joined", id, 1, "sdk-upc", "twelve", "bytes=0-5242879");
      var p2 = sdk.copyPart("sdk-upc", "joined", id, 2, "sdk-upc", "twelve", "bytes=5242880-" + (twelve - 1));
      var p3 = sdk.copyPart("sdk-upc", "joined", id, 3, "sdk-upc", "five", null);
      assertEquals("\"" + md5(INPUTS.get("5mb")) + "\"", p3.eTag(), "a part copied whole has the source's MD5");
      for (String bad : List.of("bytes=0-" + twelve, "bytes=" + twelve + "-" + (twelve + 100))) {
        var e = sdkError(() -> sdk.copyPart("sdk-upc", "joined", id, 4, "sdk-upc", "twelve", bad));
        assertEquals(400, e.statusCode(), bad);
        assertEquals("InvalidArgument", e.awsErrorDetails().errorCode(), bad);
      }
      assertEquals(3, s3.listParts(b -> b.bucket("sdk-upc").key("joined").uploadId(id)).parts().size(),
          "the refused copies stored no part");
      String etag = s3.completeMultipartUpload(b -> b.bucket("sdk-upc").key("joined").uploadId(id)
          .multipartUpload(m -> m.parts(p1, p2, p3))).eTag();
      assertTrue(etag.replace("\"", "").matches("[0-9a-f]{32}-3"), etag);

      Path expected = work.resolve("upc-expected");
      Files.write(expected, read(twelveMb));
      Files.write(expected, read(INPUTS.get("5mb")), java.nio.file.StandardOpenOption.APPEND);
      var head = s3.headObject(b -> b.bucket("sdk-upc").key("joined"));
      assertEquals("application/x-joined", head.contentType());
      assertEquals(Map.of("made-by", "uploadPartCopy"), head.metadata());
      assertEquals(Files.size(expected), head.contentLength());
      assertSameBytes("the SDK's part copies", expected, download(sdk, "sdk-upc", "joined"));
      Files.delete(expected);
      sdk.deleteAll("sdk-upc");
      sdk.removeBucket("sdk-upc");
    }
  }

  /**
   * ListObjectsV2 start-after and fetch-owner, from awscli and the SDK: only the keys after the
   * given one (also across pages of one key); Owner only when fetch-owner asks for it.
   */
  @Test
  @Order(14)
  void listObjectsV2StartAfterAndFetchOwner() {
    Credentials c = WalrusCloud.addUser(cloud, "lister", "lister@example.com");
    try (SdkOps sdk = new SdkOps(c)) {
      S3Client s3 = sdk.client();
      sdk.makeBucket("v2-list");
      for (String k : List.of("a", "b", "b/x", "c", "d/e")) {
        s3.putObject(b -> b.bucket("v2-list").key(k), RequestBody.fromString(k));
      }
      String ownerId = s3.getBucketAcl(b -> b.bucket("v2-list")).owner().id();

      var plain = s3.listObjectsV2(b -> b.bucket("v2-list").startAfter("b"));
      assertEquals("b", plain.startAfter());
      assertEquals(List.of("b/x", "c", "d/e"), plain.contents().stream().map(o -> o.key()).toList());
      assertTrue(plain.contents().stream().allMatch(o -> o.owner() == null), "no Owner without fetch-owner: " + plain);
      var owned = s3.listObjectsV2(b -> b.bucket("v2-list").startAfter("b/x").fetchOwner(true));
      assertEquals(List.of("c", "d/e"), owned.contents().stream().map(o -> o.key()).toList());
      for (var o : owned.contents()) {
        assertEquals(ownerId, o.owner().id(), "fetch-owner: " + owned);
        assertTrue(o.owner().displayName() != null && !o.owner().displayName().isEmpty(), "fetch-owner: " + owned);
      }
      assertEquals(List.of("b/x", "c", "d/e"), s3.listObjectsV2Paginator(b -> b.bucket("v2-list").startAfter("b")
          .maxKeys(1)).contents().stream().map(o -> o.key()).toList(), "start-after, then one key a page");
      assertEquals(List.of(), s3.listObjectsV2(b -> b.bucket("v2-list").startAfter("d/e")).contents());

      AwsCliOps aws = new AwsCliOps(c, work.resolve("awscli-lister"));
      String withOwner = aws.run("s3api", "list-objects-v2", "--bucket", "v2-list", "--start-after", "b",
          "--fetch-owner", "--query", "Contents[].[Key, Owner.ID]", "--output", "text").stdout().trim();
      assertEquals("b/x\t" + ownerId + "\nc\t" + ownerId + "\nd/e\t" + ownerId, withOwner.replace("\r", ""));
      String without = aws.run("s3api", "list-objects-v2", "--bucket", "v2-list", "--start-after", "a",
          "--no-paginate", "--output", "json").stdout();
      assertFalse(without.contains("\"Owner\""), "awscli without --fetch-owner: " + without);
      assertTrue(without.contains("\"StartAfter\": \"a\"") && without.contains("\"Key\": \"b\"")
          && !without.contains("\"Key\": \"a\""), without);
      sdk.deleteAll("v2-list");
      sdk.removeBucket("v2-list");
    }
  }

  static software.amazon.awssdk.services.s3.model.S3Exception sdkError(Runnable call) {
    try {
      call.run();
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  @Order(6)
  void javaSdkV2TextBodyWhoseSignedContentTypeHasACharset() {
    Credentials c = WalrusCloud.addUser(cloud, "sdktext", "sdktext@example.com");
    try (SdkOps sdk = new SdkOps(c)) {
      // RequestBody.fromString: the SDK signs Content-Type "text/plain; charset=UTF-8", parameters and all
      sdk.makeBucket("sdk-text");
      sdk.client().putObject(b -> b.bucket("sdk-text").key("note.txt"), RequestBody.fromString("a note, ünïcødé"));
      var got = sdk.client().getObjectAsBytes(b -> b.bucket("sdk-text").key("note.txt"));
      assertEquals("a note, ünïcødé", got.asUtf8String());
      assertEquals("text/plain; charset=UTF-8", got.response().contentType());
    }
  }

  // ---- the round ------------------------------------------------------------------------------

  static void fullRound(S3Ops ops, Credentials owner, String prefix, boolean postV4) {
    String main = prefix + "-main";
    String copies = prefix + "-copies";
    String who = ops.name() + ": ";

    ops.makeBucket(main);
    ops.makeBucket(copies);
    assertTrue(ops.listBuckets().containsAll(List.of(main, copies)), who + ops.listBuckets());

    // byte-exact round trips
    for (Map.Entry<String, Path> e : INPUTS.entrySet()) {
      String key = "data/" + e.getKey();
      ops.put(main, key, e.getValue());
      String etag = ops.etag(main, key);
      if (e.getKey().equals("100mb") && (ops instanceof S3cmdOps || ops instanceof AwsCliOps)) {
        // these clients upload a file this large in parts by themselves
        assertTrue(etag.matches("[0-9a-f]{32}-[0-9]+"), who + "multipart ETag of " + key + ": " + etag);
      } else {
        assertEquals(md5(e.getValue()), etag, who + "the ETag of a single PUT is the MD5 of " + key);
      }
      assertSameBytes(who + key, e.getValue(), download(ops, main, key));
    }

    // a little tree to list
    Path one = INPUTS.get("one");
    for (String key : List.of("dir/a.txt", "dir/b.txt", "dir/sub/c.txt", "top.txt")) {
      ops.put(main, key, one);
    }
    S3Ops.Listing root = ops.list(main, "", "/");
    assertEquals(List.of("top.txt"), root.keys(), who + "keys at the root with delimiter /");
    assertEquals(List.of("data/", "dir/"), root.prefixes(), who + "common prefixes at the root");
    S3Ops.Listing dir = ops.list(main, "dir/", "/");
    assertEquals(List.of("dir/a.txt", "dir/b.txt"), dir.keys(), who + "keys under dir/");
    assertEquals(List.of("dir/sub/"), dir.prefixes(), who + "common prefixes under dir/");
    List<String> all = new ArrayList<>(new TreeSet<>(List.of("data/empty", "data/one", "data/5mb", "data/100mb",
        "dir/a.txt", "dir/b.txt", "dir/sub/c.txt", "top.txt")));
    assertEquals(all.subList(0, 2), ops.firstKeys(main, 2), who + "first page of max-keys 2");
    assertEquals(all, ops.allKeysPaged(main, 3), who + "every key, three a page");

    // copy into the other bucket
    ops.copy(main, "data/5mb", copies, "copied/5mb");
    assertSameBytes(who + "copy", INPUTS.get("5mb"), download(ops, copies, "copied/5mb"));

    // multipart: 12 MB in 5 MB parts = 3 parts
    String etag = ops.multipartPut(copies, "multipart/12mb", twelveMb, 5);
    assertTrue(etag.endsWith("-3"), who + "a 3-part object's ETag ends in -3: " + etag);
    assertSameBytes(who + "multipart", twelveMb, download(ops, copies, "multipart/12mb"));

    // an ACL change seen by another user and by anonymous requests
    String path = "/" + main + "/data/one";
    byte[] oneByte = read(one);
    assertDenied(who + "bob before any grant", S3Http.get(bob, path));
    assertDenied(who + "anonymous before any grant", S3Http.get(null, path));
    ops.grantRead(main, "data/one", BOB_EMAIL);
    S3Http.Response bobReads = S3Http.get(bob, path);
    assertEquals(200, bobReads.status(), who + "bob after the READ grant: " + bobReads);
    assertEquals(sha(oneByte), sha(bobReads.body()), who + "bob reads the bytes");
    assertDenied(who + "anonymous after a grant to bob only", S3Http.get(null, path));
    assertDenied(who + "bob may read, not overwrite", S3Http.put(bob, path, new byte[] {1, 2}));
    assertSameBytes(who + "owner still reads after the grant", one, download(ops, main, "data/one"));
    ops.makePublicRead(main, "data/one");
    S3Http.Response anonReads = S3Http.get(null, path);
    assertEquals(200, anonReads.status(), who + "anonymous after public-read: " + anonReads);
    assertEquals(sha(oneByte), sha(anonReads.body()));

    // a presigned URL, fetched by curl; tampered, it is refused
    String url = ops.presignedGet(main, "data/5mb");
    assertTrue(url.contains(ops.presignedSignatureVersion().equals("v4") ? "X-Amz-Signature=" : "Signature="),
        who + "a presigned URL signed " + ops.presignedSignatureVersion() + ": " + url);
    assertEquals(ops.presignedSignatureVersion().equals("v4"), url.contains("X-Amz-Algorithm=AWS4-HMAC-SHA256"),
        who + url);
    Path fetched = work.resolve(prefix + "-presigned");
    assertEquals(200, WalrusCloud.curlGet(url, fetched), who + "presigned " + url + ": " + readText(fetched));
    assertSameBytes(who + "presigned GET", INPUTS.get("5mb"), fetched);
    String tampered = url.replace("data/5mb", "data/one");
    assertEquals(403, WalrusCloud.curlGet(tampered, fetched), who + "a presigned URL for another key: "
        + readText(fetched));

    // a browser-style POST form upload, then the client finds the object
    byte[] posted = ("posted through a form by " + prefix + "\n").getBytes(StandardCharsets.UTF_8);
    Map<String, String> form = PostForm.fields(owner, main, "posted/form.txt", postV4);
    Map<String, String> forged = new LinkedHashMap<>(form);
    forged.put("key", "posted/forged.txt");
    forged.put(postV4 ? "x-amz-signature" : "signature", postV4 ? "0".repeat(64) : "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    S3Http.Response refused = PostForm.post(main, forged, posted);
    assertEquals(403, refused.status(), who + "a form with a forged signature: " + refused);
    S3Http.Response created = PostForm.post(main, form, posted);
    assertEquals(201, created.status(), who + "POST form (" + (postV4 ? "v4" : "v2") + " policy): " + created);
    assertTrue(created.text().contains("<Key>posted/form.txt</Key>"), who + created);
    Path postedFile = download(ops, main, "posted/form.txt");
    assertEquals(sha(posted), WalrusCloud.sha256(postedFile), who + "the posted object");
    assertFalse(ops.allKeysPaged(main, 1000).contains("posted/forged.txt"), who + "nothing stored for the forged form");

    // clean up through the client: one object alone, the rest with its multi-object delete, then the buckets
    ops.delete(main, "top.txt");
    assertFalse(ops.allKeysPaged(main, 1000).contains("top.txt"), who + "top.txt deleted");
    for (String bucket : List.of(main, copies)) {
      ops.deleteAll(bucket);
      assertEquals(List.of(), ops.allKeysPaged(bucket, 1000), who + "every key of " + bucket + " deleted at once");
      ops.removeBucket(bucket);
    }
    List<String> left = ops.listBuckets();
    assertFalse(left.contains(main) || left.contains(copies), who + "buckets gone: " + left);
  }

  static Path download(S3Ops ops, String bucket, String key) {
    Path dest = work.resolve("downloads").resolve(bucket + "-" + key.replace('/', '_'));
    try {
      Files.createDirectories(dest.getParent());
      Files.deleteIfExists(dest);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ops.get(bucket, key, dest);
    return dest;
  }

  static void assertSameBytes(String what, Path expected, Path actual) {
    try {
      assertEquals(Files.size(expected), Files.size(actual), what + ": size");
      assertEquals(WalrusCloud.sha256(expected), WalrusCloud.sha256(actual), what + ": SHA-256");
      if (Files.size(actual) > (1 << 20)) {
        Files.delete(actual);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void assertDenied(String what, S3Http.Response r) {
    assertEquals(403, r.status(), what + ": " + r);
    assertEquals("AccessDenied", r.errorCode(), what + ": " + r);
  }

  static String md5(Path file) {
    try (var in = Files.newInputStream(file)) {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("MD5");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha(byte[] b) {
    return WalrusCloud.sha256(b);
  }

  static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String readText(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * s3cmd runs in a private mount namespace (its own /etc/hosts for the host-name form);
   * fresh-check's chroot cannot make one (EUCA_SKIP_NETNS_TESTS=1 there), CI's machine can.
   */
  private static void assumeMountNamespaces() {
    org.junit.jupiter.api.Assumptions.assumeFalse("1".equals(System.getenv("EUCA_SKIP_NETNS_TESTS")),
        "EUCA_SKIP_NETNS_TESTS=1: no mount namespaces here");
  }
}
