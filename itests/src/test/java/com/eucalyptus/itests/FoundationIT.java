package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.Ec2Clients;
import com.eucalyptus.itests.support.HostResources;
import com.eucalyptus.itests.support.QuerySigner;
import com.eucalyptus.itests.support.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Foundation acceptance: three daemons from the init.d scripts, registered with euca_conf,
 * seen through real EC2 clients (python3-boto with signature v2, awscli with signature v4).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FoundationIT {
  static final String EC2 = "http://127.0.0.1:8773/services/Eucalyptus";
  /** name, cores, memory MB, disk GB: the VM types a first start creates. */
  static final Object[][] VM_TYPES = {
      {"m1.small", 1, 128, 2}, {"c1.medium", 1, 256, 5}, {"m1.large", 2, 512, 10},
      {"m1.xlarge", 2, 1024, 20}, {"c1.xlarge", 4, 2048, 20}};

  static CloudInstallation cloud;
  static Credentials admin;

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
  @Order(20)
  void afterClcRestartAdminKeysClusterAndVmTypesAreStillThere() {
    cloud.stop("cloud");
    cloud.start("cloud");
    List<String[]> rows = awaitVerboseView(() -> parseTabbed(Ec2Clients.boto(EC2, admin, "2", "zones", "verbose")
        .assertOk().stdout()));
    checkVerboseView(rows);
    assertTrue(eucaConf("--list-users").assertOk().stdout().contains("bob"));
  }

  // ---- helpers -------------------------------------------------------------------------------

  static List<String[]> awaitVerboseView(java.util.function.Supplier<List<String[]>> fetch) {
    return CloudInstallation.await(Duration.ofSeconds(90), "cluster UP with a node whose certs check", () -> {
      List<String[]> rows = fetch.get();
      boolean up = rows.stream().anyMatch(r -> r[0].equals("cluster1") && r[1].trim().startsWith("UP"));
      boolean node = rows.stream().anyMatch(r -> r[0].contains("EucalyptusNC") && r[1].contains("certs[cc=true,nc=true]"));
      return up && node ? rows : null;
    });
  }

  static void checkVerboseView(List<String[]> rows) {
    Map<String, String> byName = new LinkedHashMap<>();
    rows.forEach(r -> byName.put(r[0], r[1]));
    assertTrue(byName.get("cluster1").matches("\\s*UP 127\\.0\\.0\\.1"), "cluster row: '" + byName.get("cluster1") + "'");
    assertEquals("free / max   cpu   ram  disk", byName.get("|- vm types"));
    HostResources host = HostResources.read(cloud.home().resolve("instances"));
    Pattern row = Pattern.compile("(\\d{4}) / (\\d{4})\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)");
    for (Object[] t : VM_TYPES) {
      String value = byName.get("|- " + t[0]);
      Matcher m = row.matcher(value == null ? "" : value);
      assertTrue(m.matches(), t[0] + " row: '" + value + "'");
      long expected = host.fits((int) t[1], (int) t[2], (int) t[3]);
      assertEquals(expected, Long.parseLong(m.group(1)), t[0] + " free, host " + host);
      assertEquals(expected, Long.parseLong(m.group(2)), t[0] + " max, host " + host);
      assertEquals(List.of(t[1], t[2], t[3]).toString(),
          List.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))).toString());
    }
    String nodeKey = "|- http://127.0.0.1:8775/axis2/services/EucalyptusNC";
    assertTrue(byName.containsKey(nodeKey), "node row in " + byName.keySet());
    assertTrue(byName.get(nodeKey).startsWith("certs[cc=true,nc=true] @ "), byName.get(nodeKey));
  }

  static List<String[]> parseTabbed(String out) {
    return out.lines().filter(l -> l.contains("\t")).map(l -> l.split("\t", 2)).toList();
  }

  static Shell.Result eucaConf(String... args) {
    return cloud.eucaConf(args);
  }
}
