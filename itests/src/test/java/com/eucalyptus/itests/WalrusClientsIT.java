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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.core.sync.RequestBody;
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
 * a browser-style POST form put in its bucket; deletes everything again.
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
    }
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

    // clean up through the client: objects, then buckets
    for (String bucket : List.of(main, copies)) {
      for (String key : ops.allKeysPaged(bucket, 1000)) {
        ops.delete(bucket, key);
      }
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
