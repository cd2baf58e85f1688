package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.Ec2Clients;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.VerboseZoneView;
import com.eucalyptus.itests.support.QuerySigner;
import com.eucalyptus.itests.support.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Foundation acceptance: three daemons from the init.d scripts, registered with euca_conf,
 * seen through real EC2 clients (python3-boto with signature v2, awscli with signature v4).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FoundationIT {
  static final String EC2 = "http://127.0.0.1:8773/services/Eucalyptus";
  static CloudInstallation cloud;
  static Credentials admin;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void bringUpCloud() {
    cloud = CloudInstallation.install("foundation", Map.of());
    try {
      cloud.startAll();
      cloud.registerClusterAndNode();
      admin = CloudInstallation.readEucarc(cloud.credentials("admin"));
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
  @Order(1)
  void daemonsRunAsSeparateProcessesFromTheInitScripts() throws Exception {
    Set<Long> pids = new HashSet<>();
    Map<String, String> mainClasses = Map.of("cloud", "com.eucalyptus.clc.CloudControllerMain",
        "cc", "com.eucalyptus.cc.ClusterControllerMain", "nc", "com.eucalyptus.nc.NodeControllerMain");
    for (var e : mainClasses.entrySet()) {
      Path pidFile = cloud.home().resolve("var/run/eucalyptus/eucalyptus-" + e.getKey() + ".pid");
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
      assertTrue(cmdline.contains(e.getValue()), e.getKey() + " pid " + pid + " runs " + cmdline);
      assertEquals(0, cloud.initd(e.getKey(), "status").exitCode(), e.getKey() + " status");
      pids.add(pid);
    }
    assertEquals(3, pids.size(), "three distinct processes");
    for (String log : List.of("cloud-output.log", "cloud-debug.log", "cc.log", "nc.log")) {
      assertTrue(Files.exists(cloud.logDir().resolve(log)), log + " exists");
    }
  }

  @Test
  @Order(2)
  void botoSignatureV2SeesClusterUpVmTypesAndNode() {
    List<String[]> rows = awaitVerboseView(() -> parseTabbed(Ec2Clients.boto(EC2, admin, "2", "zones", "verbose")
        .assertOk().stdout()));
    checkVerboseView(rows);
  }

  @Test
  @Order(3)
  void awscliSignatureV4SeesTheSameView() {
    List<String[]> rows = awaitVerboseView(() -> parseTabbed(Ec2Clients.aws(EC2, admin, "ec2",
        "describe-availability-zones", "--zone-names", "verbose", "--output", "text",
        "--query", "AvailabilityZones[].[ZoneName,State]").assertOk().stdout()));
    checkVerboseView(rows);
  }

  @Test
  @Order(4)
  void plainViewAndRegions() {
    String zones = Ec2Clients.boto(EC2, admin, "2", "zones").assertOk().stdout();
    assertTrue(zones.contains("cluster1\tavailable"), zones);
    String regions = Ec2Clients.boto(EC2, admin, "2", "regions").assertOk().stdout();
    assertTrue(regions.contains("Eucalyptus\t") && regions.contains("Walrus\t"), regions);
  }


  @Test
  @Order(5)
  void userAddedWithEucaConfGetsWorkingCredentialsUntilDisabled() {
    eucaConf("--add-user", "bob", "--email", "bob@example.com").assertOk();
    Credentials bob = CloudInstallation.readEucarc(cloud.credentials("bob"));
    assertNotEquals(admin.accessKey(), bob.accessKey());
    assertTrue(Ec2Clients.boto(EC2, bob, "2", "zones").assertOk().stdout().contains("cluster1"));
    // a non-admin asking for verbose gets the plain view, not the admin's table
    String bobVerbose = Ec2Clients.boto(EC2, bob, "2", "zones", "verbose").assertOk().stdout();
    assertTrue(!bobVerbose.contains("|- vm types"), bobVerbose);
    assertTrue(eucaConf("--list-users").assertOk().stdout().contains("bob"));

    eucaConf("--disable-user", "bob").assertOk();
    Shell.Result refused = Ec2Clients.boto(EC2, bob, "2", "zones");
    assertNotEquals(0, refused.exitCode(), refused.all());
    assertTrue(refused.all().contains("AuthFailure"), refused.all());
    Shell.Result refusedV4 = Ec2Clients.aws(EC2, bob, "ec2", "describe-availability-zones");
    assertTrue(refusedV4.exitCode() != 0 && refusedV4.all().contains("AuthFailure"), refusedV4.all());

    eucaConf("--enable-user", "bob").assertOk();
    Ec2Clients.boto(EC2, bob, "2", "zones").assertOk();
  }

  @Test
  @Order(6)
  void nonAdminCannotCallAdminActions() {
    eucaConf("--add-user", "carol").assertOk();
    Credentials carol = CloudInstallation.readEucarc(cloud.credentials("carol"));
    for (String[] call : new String[][] {
        {"AddUser", "UserName=mallory"}, {"DescribeUsers"}, {"ModifyPropertyValue", "Name=region", "Value=x"},
        {"AddCluster", "Name=evil", "Host=127.0.0.2", "Port=8774"}, {"GetCredentials", "UserName=admin"}}) {
      String[] args = new String[call.length + 1];
      args[0] = "raw";
      System.arraycopy(call, 0, args, 1, call.length);
      String out = Ec2Clients.boto(EC2, carol, "2", args).stdout();
      assertTrue(!out.startsWith("200"), call[0] + " must be refused to a non-admin: " + out);
      assertTrue(out.contains("<Code>"), call[0] + " refusal in EC2 error form: " + out);
    }
    String users = eucaConf("--list-users").assertOk().stdout();
    assertTrue(!users.contains("mallory"), users);
  }

  @Test
  @Order(7)
  void badRequestsGetEc2ErrorCodesAndStatuses() {
    java.time.Instant now = java.time.Instant.now();
    Map<String, String> zones = Map.of("Action", "DescribeAvailabilityZones");
    assertError(200, null, QuerySigner.signV2("127.0.0.1:8773", "/services/Eucalyptus", admin.accessKey(),
        admin.secretKey(), zones, now));
    assertError(403, "SignatureDoesNotMatch", QuerySigner.signV2("127.0.0.1:8773", "/services/Eucalyptus",
        admin.accessKey(), admin.secretKey() + "x", zones, now));
    assertError(401, "AuthFailure", QuerySigner.signV2("127.0.0.1:8773", "/services/Eucalyptus",
        "NOSUCHACCESSKEY00000", admin.secretKey(), zones, now));
    assertError(400, "InvalidAction", QuerySigner.signV2("127.0.0.1:8773", "/services/Eucalyptus",
        admin.accessKey(), admin.secretKey(), Map.of("Action", "FlyToTheMoon"), now));
    assertError(400, "MissingParameter", QuerySigner.signV2("127.0.0.1:8773", "/services/Eucalyptus",
        admin.accessKey(), admin.secretKey(), Map.of("Action", "AddUser"), now));
    assertError(400, "RequestExpired", QuerySigner.signV2("127.0.0.1:8773", "/services/Eucalyptus",
        admin.accessKey(), admin.secretKey(), zones, now.minus(Duration.ofHours(2))));
    // the daemon is still up and answering
    Ec2Clients.boto(EC2, admin, "2", "zones").assertOk();
  }

  static void assertError(int status, String code, Map<String, String> params) {
    var r = QuerySigner.get(EC2, params);
    assertEquals(status, r.statusCode(), r.body());
    if (code != null) {
      assertTrue(r.body().contains("<Code>" + code + "</Code>"), r.body());
      assertTrue(r.body().contains("<Response>") && r.body().contains("<Errors>"), "EC2 error form: " + r.body());
    }
  }

  @Test
  @Order(8)
  void theApiAlsoAnswersAtTheRootForTheEc2HostName() {
    Map<String, String> params = QuerySigner.signV2("ec2.localhost:8773", "/", admin.accessKey(), admin.secretKey(),
        Map.of("Action", "DescribeRegions"), java.time.Instant.now());
    Shell.Result r = Shell.run(Map.of(), "curl", "-s", "--resolve", "ec2.localhost:8773:127.0.0.1",
        "http://ec2.localhost:8773/?" + QuerySigner.canonical(params));
    assertTrue(r.stdout().contains("<DescribeRegionsResponse") && r.stdout().contains("Walrus"), r.all());
    // any other host at the root is not the API
    var other = QuerySigner.get("http://127.0.0.1:8773/", params);
    assertEquals(404, other.statusCode());
  }

  @Test
  @Order(9)
  void aClusterWhoseCcStopsAnsweringIsDownUntilItComesBack() {
    cloud.stop("cc");
    CloudInstallation.await(Duration.ofSeconds(60), "cluster DOWN", () -> {
      String out = Ec2Clients.boto(EC2, admin, "2", "zones", "verbose").assertOk().stdout();
      return out.contains("cluster1\tDOWN 127.0.0.1") || out.contains("cluster1\tDOWN") ? out : null;
    });
    assertTrue(Ec2Clients.boto(EC2, admin, "2", "zones").assertOk().stdout().contains("cluster1\tunavailable"));
    cloud.start("cc");
    checkVerboseView(awaitVerboseView(() -> parseTabbed(Ec2Clients.boto(EC2, admin, "2", "zones", "verbose")
        .assertOk().stdout())));
  }

  @Test
  @Order(20)
  void afterClcRestartAdminKeysClusterAndVmTypesAreStillThere() {
    cloud.stop("cloud");
    cloud.start("cloud");
    List<String[]> rows = awaitVerboseView(() -> parseTabbed(Ec2Clients.boto(EC2, admin, "2", "zones", "verbose")
        .assertOk().stdout()));
    checkVerboseView(rows);
    assertTrue(eucaConf("--list-users").assertOk().stdout().contains("bob"));
  }

  @Test
  @Order(21)
  void withWsSecurityOffTheTiersStillTalkUnsigned() {
    cloud.setConf(Map.of("ENABLE_WS_SECURITY", "N"));
    for (String d : List.of("nc", "cc", "cloud")) {
      cloud.stop(d);
    }
    cloud.startAll();
    List<String[]> rows = CloudInstallation.await(Duration.ofSeconds(90), "cluster UP, unsigned", () -> {
      List<String[]> r = parseTabbed(Ec2Clients.boto(EC2, admin, "2", "zones", "verbose").assertOk().stdout());
      return r.stream().anyMatch(x -> x[0].equals("cluster1") && x[1].trim().startsWith("UP"))
          && r.stream().anyMatch(x -> x[0].contains("EucalyptusNC"))
          // the CC may have polled before the NC was up: wait for its next poll to count the node
          && r.stream().anyMatch(x -> x[0].equals("|- m1.small") && !x[1].startsWith("0000 / 0000")) ? r : null;
    });
    // unsigned, nobody vouches for the node's certificate any more
    assertTrue(rows.stream().anyMatch(x -> x[0].contains("EucalyptusNC") && x[1].contains("nc=false")),
        rows.stream().map(x -> x[0] + " " + x[1]).toList().toString());
  }

  // ---- helpers -------------------------------------------------------------------------------

  static List<String[]> awaitVerboseView(java.util.function.Supplier<List<String[]>> fetch) {
    return VerboseZoneView.awaitReady("cluster1", fetch);
  }

  static void checkVerboseView(List<String[]> rows) {
    VerboseZoneView.check(cloud, "cluster1", rows);
  }

  static List<String[]> parseTabbed(String out) {
    return VerboseZoneView.parseTabbed(out);
  }

  static Shell.Result eucaConf(String... args) {
    return cloud.eucaConf(args);
  }
}
