package com.eucalyptus.clc.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.TestDatabases;
import com.eucalyptus.clc.compute.groups.IngressRule;
import com.eucalyptus.clc.compute.groups.SecurityGroups;
import com.eucalyptus.clc.compute.keys.KeyPairs;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.runtime.crypto.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key pairs and security groups over a real HSQLDB, keys checked with ssh-keygen where it exists. */
class KeyPairsAndGroupsTest {
  @TempDir
  static Path home;
  static Database db;
  static KeyPairs keys;
  static SecurityGroups groups;

  @BeforeAll
  static void open() {
    db = TestDatabases.fileDatabase(home);
    keys = new KeyPairs(db);
    groups = new SecurityGroups(db);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void createdKeyIsReturnedOnceAndItsPublicHalfMatchesThePrivateKey() throws Exception {
    KeyPairs.Created made = keys.create("alice", "mykey");
    assertTrue(made.privateKeyPem().startsWith("-----BEGIN RSA PRIVATE KEY-----"), made.privateKeyPem());
    PrivateKey pk = Pem.parsePrivateKey(made.privateKeyPem());
    String expected = colonHex(MessageDigest.getInstance("SHA-1").digest(pk.getEncoded()));
    assertEquals(expected, made.key().fingerprint());
    assertTrue(made.key().publicKey().startsWith("ssh-rsa AAAAB3NzaC1yc2E"), made.key().publicKey());
    assertTrue(made.key().publicKey().endsWith(" mykey"));
    // the stored key carries no private part
    assertEquals(List.of(made.key()), keys.list("alice"));
    Path sshKeygen = Path.of("/usr/bin/ssh-keygen");
    if (Files.isExecutable(sshKeygen)) {
      Path priv = home.resolve("mykey.pem");
      Files.writeString(priv, made.privateKeyPem());
      Files.setPosixFilePermissions(priv, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      Process p = new ProcessBuilder(sshKeygen.toString(), "-y", "-f", priv.toString()).redirectErrorStream(true).start();
      String derived = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor(30, TimeUnit.SECONDS);
      assertEquals(made.key().publicKey().split(" ")[1], derived.split(" ")[1], "ssh-keygen derives the same public key");
    }
  }

  @Test
  void duplicateNamesAreRefusedPerUserOnly() {
    keys.create("bob", "dup");
    assertThrows(KeyPairs.DuplicateKeyException.class, () -> keys.create("bob", "dup"));
    keys.create("carol", "dup");
    assertEquals(1, keys.list("carol").size());
  }

  @Test
  void importedKeyGetsTheMd5FingerprintOfItsBlob() throws Exception {
    String blob = keys.create("tmp", "source").key().publicKey().split(" ")[1];
    KeyPairs.Key imported = keys.importKey("dave", "imported", "ssh-rsa " + blob + " me@host");
    String expected = colonHex(MessageDigest.getInstance("MD5").digest(Base64.getDecoder().decode(blob)));
    assertEquals(expected, imported.fingerprint());
    assertEquals("ssh-rsa " + blob + " imported", imported.publicKey());
    assertThrows(IllegalArgumentException.class, () -> keys.importKey("dave", "bad", "ssh-rsa !!!notbase64"));
    assertThrows(IllegalArgumentException.class, () -> keys.importKey("dave", "bad2",
        "ssh-ed25519 " + blob)); // the blob says ssh-rsa
    assertThrows(IllegalArgumentException.class, () -> keys.importKey("dave", "bad3", "hello world"));
    assertEquals(1, keys.list("dave").size());
  }

  @Test
  void deleteIsQuietAndOnlyTouchesTheOwner() {
    keys.create("erin", "k");
    keys.create("frank", "k");
    keys.delete("erin", "k");
    keys.delete("erin", "nothing-here");
    assertTrue(keys.list("erin").isEmpty());
    assertEquals(1, keys.list("frank").size());
  }

  @Test
  void everyUserHasAnUndeletableDefaultGroup() {
    List<SecurityGroups.Group> gs = groups.list("gina", List.of());
    assertEquals(1, gs.size());
    assertEquals("default", gs.get(0).name());
    assertTrue(gs.get(0).groupId().matches("sg-[0-9a-f]{8}"));
    SecurityGroups.GroupException e = assertThrows(SecurityGroups.GroupException.class,
        () -> groups.delete("gina", "default"));
    assertEquals("InvalidGroup.Reserved", e.code());
  }

  @Test
  void rulesAreAddedAndRevokedExactly() {
    groups.create("hank", "web", "web servers");
    IngressRule http = new IngressRule("tcp", 80, 80, "0.0.0.0/0", null, null);
    IngressRule fromDefault = new IngressRule("tcp", 22, 22, null, "hank", "default");
    groups.authorize("hank", "web", List.of(http, fromDefault));
    assertEquals(List.of(http, fromDefault), groups.find("hank", "web").orElseThrow().rules());
    SecurityGroups.GroupException dup = assertThrows(SecurityGroups.GroupException.class,
        () -> groups.authorize("hank", "web", List.of(http)));
    assertEquals("InvalidPermission.Duplicate", dup.code());
    groups.revoke("hank", "web", List.of(http));
    assertEquals(List.of(fromDefault), groups.find("hank", "web").orElseThrow().rules());
    SecurityGroups.GroupException missing = assertThrows(SecurityGroups.GroupException.class,
        () -> groups.revoke("hank", "web", List.of(http)));
    assertEquals("InvalidPermission.NotFound", missing.code());
    SecurityGroups.GroupException other = assertThrows(SecurityGroups.GroupException.class,
        () -> groups.authorize("ivy", "web", List.of(http)));
    assertEquals("InvalidGroup.NotFound", other.code(), "another user's group is not found");
  }

  @Test
  void badRulesAreRefusedWithAReason() {
    assertThrows(IllegalArgumentException.class, () -> new IngressRule("tcp", 90, 80, "0.0.0.0/0", null, null));
    assertThrows(IllegalArgumentException.class, () -> new IngressRule("tcp", 0, 70000, "0.0.0.0/0", null, null));
    assertThrows(IllegalArgumentException.class, () -> new IngressRule("gre", 0, 0, "0.0.0.0/0", null, null));
    assertThrows(IllegalArgumentException.class, () -> new IngressRule("tcp", 1, 2, "10.0.0.0/33", null, null));
    assertThrows(IllegalArgumentException.class, () -> new IngressRule("tcp", 1, 2, null, null, null));
  }

  private static String colonHex(byte[] d) {
    return HexFormat.ofDelimiter(":").formatHex(d);
  }
}
