package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.S3Http;
import com.eucalyptus.itests.support.WalrusCloud;
import com.eucalyptus.itests.support.s3.AwsCliOps;
import com.eucalyptus.itests.support.s3.SdkOps;
import com.eucalyptus.itests.support.Shell;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Users are isolated: a second user made with euca_conf --add-user cannot list, read, overwrite or
 * delete the first one's private bucket and objects, nor read or change their ACLs (signature v2
 * by hand, v4 through awscli and the Java SDK; anonymous too); after the owner grants access
 * through an AccessControlPolicy, exactly what was granted works. A disabled user's keys stop
 * working at once and work again once enabled. Group grants (authenticated-read, AuthenticatedUsers,
 * AllUsers) reach exactly the users they name.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalrusIsolationIT {
  static CloudInstallation cloud;
  static Credentials alice;
  static Credentials bob;
  static Credentials carol;
  static final byte[] SECRET = "alice's secret".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void bringUpWalrus() {
    cloud = WalrusCloud.startClcOnly("walrus-isolation");
    alice = WalrusCloud.addUser(cloud, "alice", "alice@example.com");
    bob = WalrusCloud.addUser(cloud, "bob", "bob@example.com");
    carol = WalrusCloud.addUser(cloud, "carol", "carol@example.com");
    ok(S3Http.put(alice, "/alice-private", new byte[0]));
    ok(S3Http.put(alice, "/alice-private/secret.txt", SECRET));
  }

  @AfterAll
  static void tearDown() {
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  @Order(1)
  void anotherUserCannotTouchAPrivateBucketOrObject() {
    for (Credentials other : new Credentials[] {bob, null}) {
      String who = other == null ? "anonymous" : "bob";
      denied(who + " lists", S3Http.get(other, "/alice-private"));
      denied(who + " reads", S3Http.get(other, "/alice-private/secret.txt"));
      denied(who + " HEADs", S3Http.request("HEAD", "/alice-private/secret.txt").as(other).send(), false);
      denied(who + " overwrites", S3Http.put(other, "/alice-private/secret.txt", "owned".getBytes()));
      denied(who + " adds an object", S3Http.put(other, "/alice-private/new.txt", "x".getBytes()));
      denied(who + " deletes the object", S3Http.delete(other, "/alice-private/secret.txt"));
      denied(who + " deletes the bucket", S3Http.delete(other, "/alice-private"));
      denied(who + " reads the bucket ACL", S3Http.request("GET", "/alice-private").query("acl").as(other).send());
      denied(who + " reads the object ACL",
          S3Http.request("GET", "/alice-private/secret.txt").query("acl").as(other).send());
      denied(who + " makes the object public", S3Http.request("PUT", "/alice-private/secret.txt").query("acl")
          .header("x-amz-acl", "public-read").as(other).send());
      denied(who + " makes the bucket public-read-write", S3Http.request("PUT", "/alice-private").query("acl")
          .header("x-amz-acl", "public-read-write").as(other).send());
    }
    // the same through signature v4 clients
    try (SdkOps sdk = new SdkOps(bob)) {
      sdkDenied("SDK ListObjectsV2", () -> sdk.client().listObjectsV2(b -> b.bucket("alice-private")));
      sdkDenied("SDK GetObject", () -> sdk.client().getObjectAsBytes(b -> b.bucket("alice-private").key("secret.txt")));
      sdkDenied("SDK DeleteObject", () -> sdk.client().deleteObject(b -> b.bucket("alice-private").key("secret.txt")));
      sdkDenied("SDK PutObject", () -> sdk.client().putObject(b -> b.bucket("alice-private").key("secret.txt"),
          software.amazon.awssdk.core.sync.RequestBody.fromBytes("owned".getBytes(StandardCharsets.UTF_8))));
      assertTrue(!sdk.listBuckets().contains("alice-private"), "bob's bucket list shows only his own");
    }
    AwsCliOps aws = new AwsCliOps(bob, cloud.home().resolve("aws-bob"));
    Shell.Result ls = aws.run(cloud.home().resolve("aws-bob/aws-config"), "s3", "ls", "s3://alice-private");
    assertTrue(ls.exitCode() != 0 && ls.all().contains("AccessDenied"), "awscli ls as bob: " + ls.all());
    Shell.Result rm = aws.run(cloud.home().resolve("aws-bob/aws-config"), "s3", "rm", "s3://alice-private/secret.txt");
    assertTrue(rm.exitCode() != 0 && rm.all().contains("AccessDenied"), "awscli rm as bob: " + rm.all());

    aliceStillHasHerData();
  }

  @Test
  @Order(2)
  void grantsOpenExactlyWhatTheyGrant() {
    String owner = ownerId("/alice-private");
    // bucket READ for bob: he may list, not read the (still private) object, not write
    ok(putAcl("/alice-private", owner, "READ"));
    S3Http.Response list = S3Http.get(bob, "/alice-private");
    ok(list);
    assertEquals(List.of("secret.txt"), list.all("Key"));
    denied("bob reads an object whose own ACL is private", S3Http.get(bob, "/alice-private/secret.txt"));
    denied("bob writes with READ only", S3Http.put(bob, "/alice-private/new.txt", "x".getBytes()));
    denied("carol, not granted, lists", S3Http.get(carol, "/alice-private"));
    denied("anonymous lists", S3Http.get(null, "/alice-private"));

    // object READ for bob
    ok(putAcl("/alice-private/secret.txt", owner, "READ"));
    S3Http.Response read = S3Http.get(bob, "/alice-private/secret.txt");
    ok(read);
    assertEquals(new String(SECRET, StandardCharsets.UTF_8), read.text());
    denied("bob overwrites with object READ only", S3Http.put(bob, "/alice-private/secret.txt", "owned".getBytes()));
    denied("carol reads", S3Http.get(carol, "/alice-private/secret.txt"));

    // bucket WRITE for bob: he may add (and remove) objects of his own there
    ok(putAcl("/alice-private", owner, "WRITE"));
    ok(S3Http.put(bob, "/alice-private/from-bob.txt", "hello alice".getBytes(StandardCharsets.UTF_8)));
    ok(S3Http.get(alice, "/alice-private"));
    assertTrue(S3Http.get(alice, "/alice-private").all("Key").contains("from-bob.txt"));
    S3Http.Response removed = S3Http.delete(bob, "/alice-private/from-bob.txt");
    assertEquals(204, removed.status(), removed.toString());
    denied("carol writes", S3Http.put(carol, "/alice-private/from-carol.txt", "x".getBytes()));

    // back to private: bob is out again
    ok(S3Http.request("PUT", "/alice-private").query("acl").header("x-amz-acl", "private").as(alice).send());
    ok(S3Http.request("PUT", "/alice-private/secret.txt").query("acl").header("x-amz-acl", "private").as(alice).send());
    denied("bob lists after the bucket went private again", S3Http.get(bob, "/alice-private"));
    denied("bob reads after the object went private again", S3Http.get(bob, "/alice-private/secret.txt"));
    aliceStillHasHerData();
  }

  @Test
  @Order(3)
  void aDisabledUsersKeysFailAtOnce() {
    ok(S3Http.put(bob, "/bob-bucket", new byte[0]));
    ok(S3Http.put(bob, "/bob-bucket/mine.txt", "bob's".getBytes(StandardCharsets.UTF_8)));
    cloud.eucaConf("--disable-user", "bob").assertOk();
    for (S3Http.Response r : List.of(S3Http.get(bob, "/bob-bucket/mine.txt"), S3Http.get(bob, "/"),
        S3Http.put(bob, "/bob-bucket/more.txt", new byte[] {1}))) {
      assertEquals(403, r.status(), "a disabled user's request: " + r);
      assertEquals("AccessDenied", r.errorCode(), r.toString());
      assertTrue(r.text().contains("The account of this access key is disabled."), r.toString());
    }
    try (SdkOps sdk = new SdkOps(bob)) {
      sdkDenied("SDK as a disabled user", () -> sdk.client().listBuckets(), "AccessDenied");
    }
    cloud.eucaConf("--enable-user", "bob").assertOk();
    S3Http.Response back = S3Http.get(bob, "/bob-bucket/mine.txt");
    ok(back);
    assertEquals("bob's", back.text());
  }

  @Test
  @Order(4)
  void groupGrantsReachAuthenticatedUsersOrEveryone() {
    ok(S3Http.put(alice, "/alice-groups", new byte[0]));
    byte[] doc = "for members".getBytes(StandardCharsets.UTF_8);
    // canned authenticated-read on an object: any user with keys reads it, anonymous does not
    ok(S3Http.request("PUT", "/alice-groups/members.txt").header("x-amz-acl", "authenticated-read").body(doc).as(alice)
        .send());
    S3Http.Response carolReads = S3Http.get(carol, "/alice-groups/members.txt");
    ok(carolReads);
    assertEquals("for members", carolReads.text());
    denied("anonymous reads an authenticated-read object", S3Http.get(null, "/alice-groups/members.txt"));
    denied("carol overwrites an authenticated-read object", S3Http.put(carol, "/alice-groups/members.txt", "x".getBytes()));

    // an AccessControlPolicy granting the AuthenticatedUsers group READ on the bucket: carol lists, anonymous not
    String owner = ownerId("/alice-groups");
    ok(putGroupAcl("/alice-groups", owner, "AuthenticatedUsers", "READ"));
    S3Http.Response carolLists = S3Http.get(carol, "/alice-groups");
    ok(carolLists);
    assertEquals(List.of("members.txt"), carolLists.all("Key"));
    denied("anonymous lists a bucket open to authenticated users", S3Http.get(null, "/alice-groups"));
    String acl = S3Http.request("GET", "/alice-groups").query("acl").as(alice).send().text();
    assertTrue(acl.contains("http://acs.amazonaws.com/groups/global/AuthenticatedUsers"), acl);

    // the AllUsers group READ on the object: anonymous reads it too
    ok(putGroupAcl("/alice-groups/members.txt", owner, "AllUsers", "READ"));
    S3Http.Response anonReads = S3Http.get(null, "/alice-groups/members.txt");
    ok(anonReads);
    assertEquals("for members", anonReads.text());
    denied("anonymous writes into the bucket", S3Http.put(null, "/alice-groups/anon.txt", "x".getBytes()));

    // a grant to a user by canonical id (as ListAllMyBuckets shows it to that user); an unknown id is refused
    ok(S3Http.put(alice, "/alice-groups/by-id.txt", doc));
    denied("carol before the grant by id", S3Http.get(carol, "/alice-groups/by-id.txt"));
    String carolId = S3Http.get(carol, "/").all("ID").get(0);
    ok(putUserAcl("/alice-groups/by-id.txt", owner, carolId));
    ok(S3Http.get(carol, "/alice-groups/by-id.txt"));
    denied("bob, not granted", S3Http.get(bob, "/alice-groups/by-id.txt"));
    S3Http.Response unknown = putUserAcl("/alice-groups/by-id.txt", owner, "f".repeat(64));
    assertEquals(400, unknown.status(), unknown.toString());
    assertEquals("InvalidArgument", unknown.errorCode(), unknown.toString());
    ok(S3Http.get(carol, "/alice-groups/by-id.txt")); // the refused ACL changed nothing
  }

  /** PUT ?acl with a full AccessControlPolicy: owner FULL_CONTROL plus READ for a user by canonical id. */
  static S3Http.Response putUserAcl(String path, String owner, String userId) {
    return putPolicy(path, owner, "xsi:type=\"CanonicalUser\"><ID>" + userId + "</ID>", "READ");
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** PUT ?acl with a full AccessControlPolicy: owner FULL_CONTROL plus {@code permission} for a group. */
  static S3Http.Response putGroupAcl(String path, String owner, String group, String permission) {
    return putPolicy(path, owner, "xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/" + group + "</URI>",
        permission);
  }

  static void aliceStillHasHerData() {
    S3Http.Response r = S3Http.get(alice, "/alice-private/secret.txt");
    ok(r);
    assertEquals(new String(SECRET, StandardCharsets.UTF_8), r.text(), "alice's object unchanged");
    assertEquals(List.of("secret.txt"), S3Http.get(alice, "/alice-private").all("Key"));
  }

  static String ownerId(String path) {
    S3Http.Response acl = S3Http.request("GET", path).query("acl").as(alice).send();
    ok(acl);
    return acl.all("ID").get(0);
  }

  /** PUT ?acl with a full AccessControlPolicy: owner FULL_CONTROL plus {@code permission} for bob by e-mail. */
  static S3Http.Response putAcl(String path, String owner, String permission) {
    return putPolicy(path, owner, "xsi:type=\"AmazonCustomerByEmail\"><EmailAddress>bob@example.com</EmailAddress>",
        permission);
  }

  /** PUT ?acl as alice: owner FULL_CONTROL plus {@code permission} for the grantee ({@code xsi:type…>} and its element). */
  static S3Http.Response putPolicy(String path, String owner, String grantee, String permission) {
    String xml = "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>" + owner
        + "</ID></Owner><AccessControlList>"
        + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>"
        + owner + "</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>"
        + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" " + grantee + "</Grantee><Permission>"
        + permission + "</Permission></Grant></AccessControlList></AccessControlPolicy>";
    return S3Http.request("PUT", path).query("acl").header("Content-Type", "application/xml").body(xml).as(alice)
        .send();
  }

  static void ok(S3Http.Response r) {
    assertEquals(200, r.status(), r.toString());
  }

  static void denied(String what, S3Http.Response r) {
    denied(what, r, true);
  }

  static void denied(String what, S3Http.Response r, boolean hasBody) {
    assertEquals(403, r.status(), what + ": " + r);
    if (hasBody) {
      assertEquals("AccessDenied", r.errorCode(), what + ": " + r);
    }
    aliceStillHasHerDataQuietly();
  }

  /** After each refusal, the owner's object is still exactly hers. */
  static void aliceStillHasHerDataQuietly() {
    S3Http.Response r = S3Http.get(alice, "/alice-private/secret.txt");
    assertEquals(200, r.status(), "alice reads her object: " + r);
    assertEquals(new String(SECRET, StandardCharsets.UTF_8), r.text());
  }

  static void sdkDenied(String what, Runnable call) {
    sdkDenied(what, call, "AccessDenied");
  }

  static void sdkDenied(String what, Runnable call, String... codes) {
    try {
      call.run();
      throw new AssertionError(what + " was allowed");
    } catch (S3Exception e) {
      assertEquals(403, e.statusCode(), what + ": " + e.getMessage());
      assertTrue(List.of(codes).contains(e.awsErrorDetails().errorCode()), what + ": " + e.awsErrorDetails());
    }
  }
}
