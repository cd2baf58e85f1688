package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.Ec2Clients;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Key pairs and security groups through real clients against the running CLC: python3-boto
 * (signature v2, as euca2ools) and awscli (v4); keys checked with OpenSSH's ssh-keygen.
 */
class KeyPairsAndGroupsIT {
  static final String EC2 = "http://127.0.0.1:8773/services/Eucalyptus";
  static CloudInstallation cloud;
  static Credentials alice;
  static Credentials bob;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void bringUpCloud() {
    cloud = CloudInstallation.install("keys", Map.of());
    try {
      cloud.start("cloud");
      cloud.eucaConf("--add-user", "alice").assertOk();
      cloud.eucaConf("--add-user", "bob").assertOk();
      alice = CloudInstallation.readEucarc(cloud.credentials("alice"));
      bob = CloudInstallation.readEucarc(cloud.credentials("bob"));
    } catch (Throwable t) {
      throw new AssertionError(t.getMessage() + "\n" + cloud.tailLogs(), t);
    }
  }

  @AfterAll
  static void tearDown() {
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  void aCreatedKeyIsAUsableSshKeyAndOnlyItsOwnerSeesIt() throws Exception {
    Shell.Result made = Ec2Clients.boto(EC2, alice, "2", "create-key", "alice-key").assertOk();
    String fingerprint = made.stdout().lines().findFirst().orElseThrow();
    String pem = made.stdout().substring(made.stdout().indexOf('\n') + 1);
    assertTrue(pem.startsWith("-----BEGIN RSA PRIVATE KEY-----"), pem);
    Path key = cloud.home().resolve("alice-key.pem");
    Files.writeString(key, pem);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    // OpenSSH accepts the private key as it was handed out
    Shell.run(List.of("ssh-keygen", "-y", "-f", key.toString()), Map.of(), null, Duration.ofSeconds(30)).assertOk();

    assertEquals("alice-key\t" + fingerprint, Ec2Clients.boto(EC2, alice, "2", "keys").assertOk().stdout().trim());
    String viaAws = Ec2Clients.aws(EC2, alice, "ec2", "describe-key-pairs", "--query", "KeyPairs[].[KeyName,KeyFingerprint]",
        "--output", "text").assertOk().stdout().trim();
    assertEquals("alice-key\t" + fingerprint, viaAws);
    assertEquals("", Ec2Clients.boto(EC2, bob, "2", "keys").assertOk().stdout().trim(), "bob sees none of alice's keys");

    Shell.Result again = Ec2Clients.aws(EC2, alice, "ec2", "create-key-pair", "--key-name", "alice-key");
    assertFalse(again.exitCode() == 0);
    assertTrue(again.stderr().contains("InvalidKeyPair.Duplicate"), again.stderr());
  }

  @Test
  void anImportedKeyShowsTheFingerprintSshKeygenComputes() throws Exception {
    Path priv = cloud.home().resolve("bob_ed");
    Shell.run(List.of("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", priv.toString()), Map.of(), null,
        Duration.ofSeconds(60)).assertOk();
    String md5 = Shell.run(List.of("ssh-keygen", "-l", "-E", "md5", "-f", priv + ".pub"), Map.of(), null,
        Duration.ofSeconds(30)).assertOk().stdout().split("\\s+")[1].replace("MD5:", "");
    Ec2Clients.aws(EC2, bob, "ec2", "import-key-pair", "--key-name", "laptop", "--public-key-material",
        "fileb://" + priv + ".pub").assertOk();
    assertEquals("laptop\t" + md5, Ec2Clients.boto(EC2, bob, "2", "keys").assertOk().stdout().trim());

    Path junk = cloud.home().resolve("junk.pub");
    Files.writeString(junk, "ssh-rsa this-is-not-a-key\n");
    Shell.Result bad = Ec2Clients.aws(EC2, bob, "ec2", "import-key-pair", "--key-name", "junk", "--public-key-material",
        "fileb://" + junk);
    assertFalse(bad.exitCode() == 0);
    assertTrue(bad.stderr().contains("InvalidParameterValue"), bad.stderr());
    Ec2Clients.aws(EC2, bob, "ec2", "delete-key-pair", "--key-name", "laptop").assertOk();
    assertEquals("", Ec2Clients.boto(EC2, bob, "2", "keys").assertOk().stdout().trim());
  }

  @Test
  void groupsAndTheirRulesAreKeptPerUser() {
    Ec2Clients.boto(EC2, alice, "2", "create-group", "web", "web servers").assertOk();
    Ec2Clients.boto(EC2, alice, "2", "authorize", "web", "tcp", "80", "80", "0.0.0.0/0").assertOk();
    Ec2Clients.boto(EC2, alice, "2", "authorize", "web", "tcp", "22", "22", "alice/default").assertOk();
    Ec2Clients.aws(EC2, alice, "ec2", "authorize-security-group-ingress", "--group-name", "web", "--protocol", "udp",
        "--port", "5000-5010", "--cidr", "10.1.0.0/16").assertOk();
    String groups = Ec2Clients.boto(EC2, alice, "2", "groups").assertOk().stdout();
    assertEquals(String.join("\n", "alice\tdefault\tdefault group", "alice\tweb\tweb servers",
        "\ttcp\t80\t80\t0.0.0.0/0", "\ttcp\t22\t22\talice/default", "\tudp\t5000\t5010\t10.1.0.0/16"),
        groups.trim());

    Shell.Result dup = Ec2Clients.aws(EC2, alice, "ec2", "authorize-security-group-ingress", "--group-name", "web",
        "--protocol", "tcp", "--port", "80", "--cidr", "0.0.0.0/0");
    assertTrue(dup.stderr().contains("InvalidPermission.Duplicate"), dup.stderr());
    Ec2Clients.aws(EC2, alice, "ec2", "revoke-security-group-ingress", "--group-name", "web", "--protocol", "tcp",
        "--port", "80", "--cidr", "0.0.0.0/0").assertOk();
    assertFalse(Ec2Clients.boto(EC2, alice, "2", "groups").assertOk().stdout().contains("0.0.0.0/0"));

    Shell.Result reserved = Ec2Clients.aws(EC2, alice, "ec2", "delete-security-group", "--group-name", "default");
    assertTrue(reserved.stderr().contains("InvalidGroup.Reserved"), reserved.stderr());
    Shell.Result notMine = Ec2Clients.aws(EC2, bob, "ec2", "delete-security-group", "--group-name", "web");
    assertTrue(notMine.stderr().contains("InvalidGroup.NotFound"), notMine.stderr());
    Shell.Result badPort = Ec2Clients.aws(EC2, alice, "ec2", "authorize-security-group-ingress", "--group-name", "web",
        "--protocol", "tcp", "--port", "90-80", "--cidr", "0.0.0.0/0");
    assertTrue(badPort.stderr().contains("InvalidParameterValue"), badPort.stderr());
    assertEquals("bob\tdefault\tdefault group", Ec2Clients.boto(EC2, bob, "2", "groups").assertOk().stdout().trim());

    Ec2Clients.aws(EC2, alice, "ec2", "delete-security-group", "--group-name", "web").assertOk();
    assertEquals("alice\tdefault\tdefault group", Ec2Clients.boto(EC2, alice, "2", "groups").assertOk().stdout().trim());
  }
}
