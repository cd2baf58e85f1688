package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.Ec2Clients;
import com.eucalyptus.itests.support.FrontEndNetwork;
import com.eucalyptus.itests.support.GuestHost;
import com.eucalyptus.itests.support.GuestNetworkFacts;
import com.eucalyptus.itests.support.InstancesBoto;
import com.eucalyptus.itests.support.InstancesBoto.Instance;
import com.eucalyptus.itests.support.InternetHost;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.NetworkBoto;
import com.eucalyptus.itests.support.RootFirewall;
import com.eucalyptus.itests.support.Shell;
import com.eucalyptus.itests.support.TestImages;
import com.eucalyptus.itests.support.VerboseZoneView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The networking issue's acceptance (issue 11), MANAGED-NOVLAN and STATIC, with real parts: the
 * CLC and the NC in the root namespace (the node: libvirtd runs the QEMU/TCG guests on the
 * bridge), the CC started by its init.d script inside the front end's namespace with its dhcpd
 * and iptables there, a host "on the internet" in a namespace of its own on the public side
 * ({@link FrontEndNetwork}). Users act through python3-boto (signature v2) and awscli (v4); what
 * they see is checked from the outside: the guests' console lines (what they read from the CC's
 * dhcpd and the metadata service), ssh and HTTP from the internet host, the source address the
 * internet host sees on a guest's outbound requests. Three guests at most run at once and are
 * reused across the checks; the root namespace's iptables are the same at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkIT {
  static final String LOCAL_EC2 = "http://127.0.0.1:8773/services/Eucalyptus";
  static final Duration RUNNING = Duration.ofMinutes(4);
  static final Duration BOOT = Duration.ofMinutes(4);
  /** How long a rule change, an association or a restart may take to show from the outside. */
  static final Duration TAKES_EFFECT = Duration.ofSeconds(20);
  static final int ADDRS_PER_NET = 32;
  static final Pattern READY = GuestNetworkFacts.READY;
  /** The line the guests' user data prints: what the guest read from the metadata service itself. */
  static final Pattern METADATA = Pattern.compile("EUCA-NET-MD instance-id=(\\S*) local-ipv4=(\\S*) public-ipv4=(\\S*)"
      + " key-fingerprint=(\\S*)");

  static long classStart = System.nanoTime();
  static final Map<String, Long> timings = new LinkedHashMap<>();
  static RootFirewall rootBefore;
  static FrontEndNetwork net;
  static InternetHost internet;
  static CloudInstallation cloud;
  static Map<String, String> conf;
  static Path work;
  static String ec2 = LOCAL_EC2;
  static Credentials admin;
  static Credentials alice;
  static Credentials bob;
  static String imageId;
  static final List<String> launched = new ArrayList<>();
  /** The bad-configuration starts tried before the CC's first real start: what each printed and logged. */
  static final Map<String, String> badStarts = new LinkedHashMap<>();
  static final Map<String, Integer> badExits = new LinkedHashMap<>();
  static final Map<String, List<Long>> badLeftovers = new LinkedHashMap<>();
  static String aliasStart;
  static int aliasExit = -1;
  static boolean aliasAnswered;

  /** The guests: A1 and A2 are alice's in group alpha (A2 launched with private addressing), B is bob's in beta. */
  static Guest a1;
  static Guest a2;
  static Guest b;
  static Path aliceKey;
  static Path bobKey;
  static String aliceFingerprint;

  record Guest(String id, String owner, String group, String privateIp, String publicIp, String mac, String userDataSha1) {
  }

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  // ---------------------------------------------------------------- set-up and tear-down

  @BeforeAll
  static void setUp() throws Exception {
    GuestHost.skipWhereGuestsCannotRun("NetworkIT");
    classStart = System.nanoTime();
    rootBefore = RootFirewall.snapshot();
    TestImages images = TestImages.make();
    cloud = CloudInstallation.install("network", Map.of("MAX_CORES", "4", "MAX_MEM", "1024", "NC_POLLING_FREQUENCY", "5",
        "NC_CACHE_SIZE", "400", "LOGLEVEL", "INFO"));
    try {
      // QEMU runs as libvirt-qemu: it must reach the instance folders under the install
      Files.setPosixFilePermissions(cloud.home(), PosixFilePermissions.fromString("rwxr-xr-x"));
      work = Files.createDirectories(cloud.home().resolve("network-work"));
      net = FrontEndNetwork.build();
      internet = new InternetHost(net.internet, work.resolve("internet"));
      internet.startListener(net.internetAddress);
      internet.useBusybox(InstancesIT.busyboxDeb());
      cloud.runIn("cc", net.frontEnd);
      conf = new LinkedHashMap<>(net.managedNoVlanConf());
      cloud.setConf(conf);
      cloud.start("cloud");
      cloud.start("nc");
      // before the CC's first real start: each bad configuration must keep it from starting
      tryBadConfigurations();
      tryAliases();
      writeConf(conf, List.of("VNET_DHCPUSE", "VNET_ADDRSPPERNET", "VNET_DHCPSERVER"));
      cloud.start("cc");
      cloud.eucaConf("--addcluster", "cluster1", net.frontTransit).assertOk();
      cloud.eucaConf("--addnode", net.rootTransit).assertOk();
      cloud.stop("cc");
      cloud.start("cc");
      Path adminCreds = cloud.credentials("admin");
      admin = CloudInstallation.readEucarc(adminCreds);
      cloud.eucaConf("--add-user", "alice").assertOk();
      cloud.eucaConf("--add-user", "bob").assertOk();
      alice = CloudInstallation.readEucarc(cloud.credentials("alice"));
      bob = CloudInstallation.readEucarc(cloud.credentials("bob"));
      TestImages.Registered registered = images.register(cloud, adminCreds, work, "net");
      imageId = registered.imageId();
      InstancesBoto.run(ec2, admin, "make-public", imageId).assertOk();
      VerboseZoneView.awaitReady("cluster1", () -> VerboseZoneView.parseTabbed(
          Ec2Clients.boto(ec2, admin, "2", "zones", "verbose").assertOk().stdout()));
      lap("set-up (install, bad configurations, daemons, users, images)");
    } catch (Throwable t) {
      throw new AssertionError("setting up the cloud failed: " + String.valueOf(t.getMessage()).replace('\n', ' ') + " |"
          + GuestHost.daemonLogTails(cloud, 15) + " " + ccLogTail(15) + (net == null ? "" : " " + net.diagnostics()), t);
    }
  }

  @AfterAll
  static void tearDown() {
    List<String> problems = new ArrayList<>();
    if (internet != null) {
      internet.close();
    }
    if (cloud != null) {
      cloud.close();
      for (String id : launched) {
        if (GuestHost.runningDomains().contains(id)) {
          GuestHost.virsh("destroy", id);
        }
      }
      // the guests' disks and the image cache: the largest part of the install
      Shell.run(List.of("rm", "-rf", "--one-file-system", cloud.home().resolve("instances").toString()), Map.of(), null,
          Duration.ofMinutes(2));
    }
    if (net != null) {
      net.close();
      List<String> left = net.leftovers();
      if (!left.isEmpty()) {
        problems.add("the topology left " + left);
      }
    }
    if (rootBefore != null) {
      String diff = rootBefore.differences(RootFirewall.snapshot());
      if (diff != null) {
        problems.add("the root namespace's firewall changed: " + diff);
      }
    }
    long total = (System.nanoTime() - classStart) / 1_000_000_000L;
    System.out.println("NetworkIT timings (s): " + timings + "; whole class " + total + " s");
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("; ", problems));
    }
  }

  static long lapStart = System.nanoTime();

  static void lap(String what) {
    long now = System.nanoTime();
    timings.put(what, (now - lapStart) / 1_000_000_000L);
    lapStart = now;
  }

  /** Writes eucalyptus.conf: {@code values} set, {@code removed} keys taken out. */
  static void writeConf(Map<String, String> values, List<String> removed) {
    try {
      List<String> lines = new ArrayList<>(Files.readAllLines(cloud.confFile()));
      for (String key : removed) {
        lines.removeIf(l -> l.matches("^\\s*" + Pattern.quote(key) + "=.*"));
      }
      Files.write(cloud.confFile(), lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    cloud.setConf(values);
  }

  static long size(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  static String since(Path p, long offset) {
    try {
      if (!Files.exists(p)) {
        return "";
      }
      byte[] all = Files.readAllBytes(p);
      return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset));
    } catch (IOException e) {
      return "(" + e.getMessage() + ")";
    }
  }

  /** Starts the CC with the good configuration changed by {@code changes} (and without {@code removed}); returns what it said. */
  static String startCcWith(String name, Map<String, String> changes, List<String> removed, boolean expectRunning) {
    Map<String, String> values = new LinkedHashMap<>(conf);
    values.putAll(changes);
    removed.forEach(values::remove);
    writeConf(values, removed);
    Path out = cloud.logDir().resolve("cc-output.log");
    Path log = cloud.logDir().resolve("cc.log");
    long outAt = size(out);
    long logAt = size(log);
    Shell.Result r = cloud.initd("cc", "start");
    String said = "init.d exit " + r.exitCode() + ": " + r.all() + "\n-- cc-output.log:\n" + since(out, outAt) + "\n-- cc.log:\n"
        + since(log, logAt);
    if (expectRunning) {
      aliasExit = r.exitCode();
      aliasAnswered = r.exitCode() == 0;
    } else {
      badExits.put(name, r.exitCode());
      // a refused start leaves no CC behind in the front end's namespace
      List<Long> left = net.frontEndProcesses("ClusterControllerMain");
      if (!left.isEmpty()) {
        badLeftovers.put(name, left);
      }
    }
    // whatever happened, no CC of this attempt stays
    cloud.initd("cc", "stop");
    return said;
  }

  static void tryBadConfigurations() {
    for (String bad : List.of("VNET_SUBNET=10.240.300.0", "VNET_ADDRSPERNET=48", "VNET_PUBLICIPS=", "VNET_MODE=MANAGED-NOVLAM")) {
      String[] kv = bad.split("=", 2);
      badStarts.put(bad, startCcWith(bad, Map.of(kv[0], kv[1]), List.of(), false));
    }
  }

  static void tryAliases() {
    aliasStart = startCcWith("aliases", Map.of("VNET_DHCPUSE", "root", "VNET_ADDRSPPERNET", String.valueOf(ADDRS_PER_NET),
        "VNET_DHCPSERVER", "/usr/sbin/dhcpd"), List.of("VNET_DHCPUSER", "VNET_ADDRSPERNET", "VNET_DHCPDAEMON"), true);
  }

  // ---------------------------------------------------------------- helpers

  static Shell.Result boto(Credentials c, String... args) {
    return NetworkBoto.run(ec2, c, args);
  }

  static Shell.Result aws(Credentials c, String... args) {
    return Ec2Clients.aws(ec2, c, args);
  }

  static Instance describe(Credentials c, String id) {
    return GuestNetworkFacts.describe(ec2, c, id);
  }

  static String console(Credentials c, String id) {
    return GuestNetworkFacts.console(ec2, c, id);
  }

  static <T> T await(Duration limit, String what, String id, Supplier<T> check) {
    return CloudInstallation.await(limit, Duration.ofSeconds(2), what, () -> " | " + diag(id), check);
  }

  static String ccLogTail(int n) {
    return cloud == null ? "" : "[cc.log: " + GuestHost.tail(cloud.logDir().resolve("cc.log"), n) + "] [cc-output.log: "
        + GuestHost.tail(cloud.logDir().resolve("cc-output.log"), n) + "]";
  }

  /** One line: the instance as its owner sees it, its console tail, the daemons' logs and the topology. */
  static String diag(String id) {
    StringBuilder sb = new StringBuilder();
    try {
      if (id != null) {
        for (Credentials c : List.of(alice, bob)) {
          Instance i = describe(c, id);
          if (i != null) {
            sb.append("describe=").append(i);
            sb.append(" | console tail: ").append(tailLines(console(c, id), 6));
          }
        }
        sb.append(" | qemu log: ").append(GuestHost.qemuLogTail(id, 3));
      }
      sb.append(" | virsh list: ").append(GuestHost.runningDomains());
      sb.append(" |").append(GuestHost.daemonLogTails(cloud, 8));
      sb.append(" ").append(ccLogTail(10));
      sb.append(" | dhcpd conf: ").append(GuestHost.tail(dhcpConf(), 12));
      sb.append(" | ").append(net.diagnostics());
      if (internet != null) {
        List<InternetHost.Beacon> beacons = internet.beacons();
        sb.append(" | last beacons: ").append(beacons.subList(Math.max(0, beacons.size() - 4), beacons.size()));
      }
    } catch (RuntimeException | AssertionError e) {
      sb.append(" (diagnostics failed: ").append(e.getMessage()).append(")");
    }
    return sb.toString().replace('\n', ' ');
  }

  static String tailLines(String text, int n) {
    return GuestNetworkFacts.tailLines(text, n);
  }

  /** The CC's dhcpd configuration (docs/network.md: var/run/eucalyptus/net/euca-dhcp.conf). */
  static Path dhcpConf() {
    return cloud.home().resolve("var/run/eucalyptus/net/euca-dhcp.conf");
  }

  static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The MAC the CLC gives an instance in MANAGED-NOVLAN: d0:0d: and the id's 8 hex digits. */
  static String macOf(String id) {
    String hex = id.substring(2).toLowerCase();
    return "d0:0d:" + hex.substring(0, 2) + ":" + hex.substring(2, 4) + ":" + hex.substring(4, 6) + ":" + hex.substring(6, 8);
  }

  /** The MAC of the guest's NIC as libvirt has it, and the bridge it is on ("mac bridge"). */
  static String domainInterface(String id) {
    return GuestNetworkFacts.domainInterface(id);
  }

  static long ipValue(String ip) {
    return GuestNetworkFacts.ipValue(ip);
  }

  static String ipOf(long v) {
    return GuestNetworkFacts.ipOf(v);
  }

  /** The address's block of ADDRS_PER_NET in the subnet: its index (network index = vlan). */
  static long blockIndex(String ip) {
    return (ipValue(ip) - ipValue(net.subnet)) / ADDRS_PER_NET;
  }

  static long offsetInBlock(String ip) {
    return (ipValue(ip) - ipValue(net.subnet)) % ADDRS_PER_NET;
  }

  static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  /** A key pair made by CreateKeyPair, its private half saved for ssh; returns the file. */
  static Path createKey(Credentials c, String name) throws IOException {
    return GuestNetworkFacts.createKey(ec2, c, name, work);
  }

  static String md5FingerprintOf(Path privateKey) throws IOException {
    Path pub = work.resolve(privateKey.getFileName() + ".pub");
    Files.writeString(pub, Shell.run(Map.of(), "ssh-keygen", "-y", "-f", privateKey.toString()).assertOk().stdout());
    String out = Shell.run(Map.of(), "ssh-keygen", "-l", "-E", "md5", "-f", pub.toString()).assertOk().stdout();
    return out.split("\\s+")[1].replaceFirst("^MD5:", "");
  }

  /**
   * The user data of the guests: a script the image runs after its READY line. It prints what the
   * guest reads from the metadata service itself, then asks the internet host's listener for
   * /beacon/ID every 2 s (the listener writes down the source address it sees).
   */
  static String userData() {
    return String.join("\n",
        "#!/bin/sh",
        "# NetworkIT: the metadata as the guest reads it, then a beacon to the internet host",
        "md() { timeout 10 wget -q -O - \"http://169.254.169.254/latest/meta-data/$1\" 2>/dev/null; }",
        "iid=$(md instance-id)",
        "key=$(md public-keys/0/openssh-key)",
        "blob=$(echo \"$key\" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(ssh-|ecdsa-)/) { print $(i + 1); exit } }')",
        "fp=none",
        "[ -n \"$blob\" ] && fp=$(echo \"$blob\" | base64 -d | md5sum | cut -c1-32 | sed 's/../&:/g; s/:$//')",
        "echo \"EUCA-NET-MD instance-id=$iid local-ipv4=$(md local-ipv4) public-ipv4=$(md public-ipv4) key-fingerprint=$fp\""
            + " > /dev/console",
        "[ -n \"$iid\" ] || iid=unknown",
        "while :; do timeout 5 wget -q -O /dev/null \"http://" + net.internetAddress + ":" + InternetHost.LISTENER_PORT
            + "/beacon/$iid\" 2>/dev/null; sleep 2; done",
        "");
  }

  /** RunInstances through python3-boto; returns the instance id. */
  static String run(Credentials c, String key, String group, String addressing) throws IOException {
    Path data = work.resolve("user-data-" + group + "-" + launched.size());
    Files.writeString(data, userData());
    List<String> args = new ArrayList<>(List.of("run", imageId, "key=" + key, "group=" + group, "userdata-file=" + data));
    if (addressing != null) {
      args.add("addressing=" + addressing);
    }
    Shell.Result r = boto(c, args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), "RunInstances " + args + ": " + r.all() + " | " + diag(null));
    String[] row = r.stdout().lines().skip(1).findFirst().orElseThrow().split("\t", -1);
    String id = row[0];
    launched.add(id);
    runAnswers.put(id, row);
    return id;
  }

  /** RunInstances' own answer per instance: id, state, private address, public address. */
  static final Map<String, String[]> runAnswers = new LinkedHashMap<>();

  /** Waits for running, the READY and the metadata lines; returns the guest as DescribeInstances shows it then. */
  static Guest awaitGuest(Credentials c, String owner, String group, String id) {
    await(RUNNING, id + " running", id, () -> {
      Instance i = describe(c, id);
      return i != null && i.state().equals("running") ? i : null;
    });
    String text = await(BOOT, "the READY and EUCA-NET-MD lines on " + id + "'s console", id, () -> {
      String t = console(c, id);
      Matcher r = READY.matcher(t);
      if (r.find() && !r.group(1).equals(id)) {
        return t; // no metadata: no user data to run either, fail now with the READY line
      }
      return r.find(0) && METADATA.matcher(t).find() ? t : null;
    });
    Matcher ready = READY.matcher(text);
    assertTrue(ready.find());
    assertEquals(id, ready.group(1), "the image read its instance id from the metadata service: " + ready.group(0)
        + " | " + diag(id));
    // the address the guest took from DHCP is the one DescribeInstances shows
    Instance row = await(Duration.ofSeconds(30), "DescribeInstances to show " + id + " at " + ready.group(2), id, () -> {
      Instance i = describe(c, id);
      return i != null && ready.group(2).equals(i.privateIp()) ? i : null;
    });
    return new Guest(id, owner, group, row.privateIp(), row.publicIp(), macOf(id), ready.group(4));
  }

  static Matcher metadataLine(Credentials c, String id) {
    Matcher m = METADATA.matcher(console(c, id));
    assertTrue(m.find(), "no EUCA-NET-MD line on " + id + "'s console: " + diag(id));
    return m;
  }

  static void assumeGuests() {
    Assumptions.assumeTrue(a1 != null && a2 != null && b != null, "needs the three guests of the launch check");
  }

  /** ssh from the internet host, retried until it connects and the command succeeds (or {@code limit}). */
  static String sshWorks(Path key, String ip, String command, Duration limit, String id) {
    return await(limit, "ssh root@" + ip + " '" + command + "' from the internet host", id, () -> {
      Shell.Result r = internet.ssh(key, ip, command);
      return r.exitCode() == 0 ? r.stdout() : null;
    });
  }

  /** Waits until a new ssh connection to ip can no longer be made (exit 255 = ssh's own failure). */
  static void sshRefused(Path key, String ip, Duration limit, String id) {
    await(limit, "ssh to " + ip + " refused", id, () -> internet.ssh(key, ip, "true").exitCode() == 255 ? Boolean.TRUE : null);
  }

  static Instance current(Credentials c, String id) {
    Instance i = describe(c, id);
    assertNotNull(i, id + " not listed for its owner");
    return i;
  }

  // ---------------------------------------------------------------- checks without guests

  @Test
  @Order(1)
  void badConfigurationKeepsTheCcFromStartingWithAMessageNamingTheKey() {
    Map<String, String[]> expected = new LinkedHashMap<>();
    expected.put("VNET_SUBNET=10.240.300.0", new String[] {"VNET_SUBNET", "10.240.300.0"});
    expected.put("VNET_ADDRSPERNET=48", new String[] {"VNET_ADDRSPERNET", "48"});
    expected.put("VNET_PUBLICIPS=", new String[] {"VNET_PUBLICIPS"});
    expected.put("VNET_MODE=MANAGED-NOVLAM", new String[] {"VNET_MODE", "MANAGED-NOVLAM"});
    List<String> failures = new ArrayList<>();
    for (var e : expected.entrySet()) {
      String said = badStarts.get(e.getKey());
      String name = e.getKey();
      Integer exit = badExits.get(name);
      if (exit == null || exit == 0) {
        failures.add(name + ": the CC started (init.d exit " + exit + ")");
        continue;
      }
      // the message is in what the init.d script printed (it shows the output log's tail) or in the CC's log
      for (String word : e.getValue()) {
        if (!said.contains(word)) {
          failures.add(name + ": no '" + word + "' in what the CC said: " + said.replace('\n', ' '));
        }
      }
    }
    assertTrue(failures.isEmpty(), String.join(" || ", failures));
    // and none of the attempts left a CC running in the front end's namespace
    assertEquals(Map.of(), badLeftovers, "CC processes left by a refused start");
  }

  @Test
  @Order(2)
  void theGuidesMisspelledKeysWorkWithAWarningNamingTheRightKey() {
    assertTrue(aliasAnswered, "the CC with VNET_DHCPUSE, VNET_ADDRSPPERNET and VNET_DHCPSERVER did not start (init.d exit "
        + aliasExit + "): " + aliasStart.replace('\n', ' '));
    for (String[] pair : new String[][] {{"VNET_DHCPUSE", "VNET_DHCPUSER"}, {"VNET_ADDRSPPERNET", "VNET_ADDRSPERNET"},
        {"VNET_DHCPSERVER", "VNET_DHCPDAEMON"}}) {
      boolean warned = aliasStart.lines().anyMatch(l -> l.contains(pair[0]) && l.contains(pair[1]) && l.contains("WARN"));
      assertTrue(warned, "no WARN line naming " + pair[0] + " and " + pair[1] + ": " + aliasStart.replace('\n', ' '));
    }
  }

  // ---------------------------------------------------------------- MANAGED-NOVLAN with guests

  @Test
  @Order(3)
  void guestsGetAddressesFromTheCcsDhcpdInTheirGroupsBlockAndReadTheirMetadata() throws Exception {
    aliceKey = createKey(alice, "alice-key");
    bobKey = createKey(bob, "bob-key");
    aliceFingerprint = md5FingerprintOf(aliceKey);
    String bobFingerprint = md5FingerprintOf(bobKey);
    boto(alice, "create-group", "alpha", "alice's web servers").assertOk();
    boto(bob, "create-group", "beta", "bob's servers").assertOk();
    String id1 = run(alice, "alice-key", "alpha", null);
    String id2 = run(alice, "alice-key", "alpha", "private");
    String id3 = run(bob, "bob-key", "beta", null);
    a1 = awaitGuest(alice, "alice", "alpha", id1);
    a2 = awaitGuest(alice, "alice", "alpha", id2);
    b = awaitGuest(bob, "bob", "beta", id3);
    lap("three guests booted");

    // the CC's dhcpd runs in the front end's namespace, with a fixed entry per guest: MAC → address
    assertFalse(net.frontEndProcesses("dhcpd").isEmpty(), "no dhcpd in the front end's namespace: " + net.diagnostics());
    String dhcp = read(dhcpConf()).toLowerCase();
    for (Guest g : List.of(a1, a2, b)) {
      assertTrue(g.privateIp().startsWith(net.subnetPrefix), g + " | " + diag(g.id()));
      assertEquals(g.mac() + " " + net.bridge, domainInterface(g.id()), "the guest's NIC: the CLC's MAC, on VNET_BRIDGE");
      Matcher host = Pattern.compile("hardware ethernet " + Pattern.quote(g.mac()) + ";\\s*fixed-address "
          + Pattern.quote(g.privateIp()) + ";").matcher(dhcp);
      assertTrue(host.find(), "euca-dhcp.conf has no entry " + g.mac() + " → " + g.privateIp() + ": " + dhcp.replace('\n', ' '));
      long offset = offsetInBlock(g.privateIp());
      assertTrue(offset >= 2 && offset <= ADDRS_PER_NET - 2, "guests take net+2 to net+n-2 of their block: " + g);
      assertTrue(blockIndex(g.privateIp()) >= 2, "network indexes start at 2: " + g);
    }
    // one block per group: alice's two guests share alpha's, bob's guest is in beta's
    assertEquals(blockIndex(a1.privateIp()), blockIndex(a2.privateIp()), a1 + " / " + a2);
    assertNotEquals(blockIndex(a1.privateIp()), blockIndex(b.privateIp()), a1 + " / " + b);
    // the CC holds each active block's router address (net+1) on VNET_PRIVINTERFACE
    List<String> routers = net.frontEndAddresses(net.privFront);
    for (Guest g : List.of(a1, b)) {
      long netStart = ipValue(net.subnet) + blockIndex(g.privateIp()) * ADDRS_PER_NET;
      String router = ipOf(netStart + 1);
      assertTrue(routers.stream().anyMatch(r -> r.startsWith(router + "/")), router + " not on " + net.privFront + ": " + routers);
    }

    // public addresses: A1 and B got one from the pool at launch, A2 (private addressing) none
    assertTrue(net.publicPool.contains(a1.publicIp()), "A1's public address from VNET_PUBLICIPS: " + a1);
    assertTrue(net.publicPool.contains(b.publicIp()), "B's public address from VNET_PUBLICIPS: " + b);
    assertNotEquals(a1.publicIp(), b.publicIp());
    assertFalse(net.publicPool.contains(a2.publicIp()), "private addressing takes no public address: " + a2);

    // RunInstances' own answer already had the addresses the CC and the CLC gave
    for (Guest g : List.of(a1, a2, b)) {
      String[] answer = runAnswers.get(g.id());
      assertEquals(g.privateIp(), answer[2], "RunInstances answered " + List.of(answer));
      if (g != a2) {
        assertEquals(g.publicIp(), answer[3], "RunInstances answered " + List.of(answer));
      } else {
        assertFalse(net.publicPool.contains(answer[3]), "RunInstances answered " + List.of(answer));
      }
    }

    // what each guest read from the metadata service: its id, its addresses, its key, its user data
    for (Guest g : List.of(a1, a2, b)) {
      Credentials c = g.owner().equals("alice") ? alice : bob;
      Matcher md = metadataLine(c, g.id());
      assertEquals(g.id(), md.group(1), md.group(0));
      assertEquals(g.privateIp(), md.group(2), md.group(0));
      if (net.publicPool.contains(g.publicIp())) {
        assertEquals(g.publicIp(), md.group(3), md.group(0));
      }
      assertEquals(g.owner().equals("alice") ? aliceFingerprint : bobFingerprint, md.group(4),
          "public-keys/0/openssh-key is the key pair's public half: " + md.group(0));
      assertEquals(sha1(userData()), g.userDataSha1(), "the whole user data reached the guest");
    }
    lap("addresses, dhcpd and metadata checked");
  }

  @Test
  @Order(4)
  void sshFromTheInternetIsRefusedUntilPort22IsAuthorizedAndANewConnectionAgainAfterTheRevoke() {
    assumeGuests();
    String ip = current(alice, a1.id()).publicIp();
    assertTrue(net.publicPool.contains(ip), "A1 has a public address: " + ip);
    Shell.Result before = internet.ssh(aliceKey, ip, "true");
    assertEquals(255, before.exitCode(), "ssh before tcp 22 is authorized must not connect: " + before.all());

    boto(alice, "authorize", "alpha", "tcp", "22", "22", "0.0.0.0/0").assertOk();
    String out = sshWorks(aliceKey, ip, "cat /proc/sys/kernel/hostname; ip -4 -o addr show dev eth0", TAKES_EFFECT, a1.id());
    assertTrue(out.contains(" " + a1.privateIp() + "/"), "logged in to A1 itself: " + out);

    boto(alice, "revoke", "alpha", "tcp", "22", "22", "0.0.0.0/0").assertOk();
    sshRefused(aliceKey, ip, TAKES_EFFECT, a1.id());

    // the internet host alone from now on (a /32 source), for the checks that follow
    boto(alice, "authorize", "alpha", "tcp", "22", "22", net.internetAddress + "/32").assertOk();
    sshWorks(aliceKey, ip, "true", TAKES_EFFECT, a1.id());
    lap("ssh before/after authorize and revoke");
  }

  @Test
  @Order(5)
  void anElasticAddressAnswersForItsInstanceCarriesItsOutboundTrafficMovesOnReassociationAndGoesQuietOnDisassociation() {
    assumeGuests();
    Shell.Result alloc = boto(alice, "allocate");
    assertEquals(0, alloc.exitCode(), alloc.all());
    String eip = alloc.stdout().strip();
    assertTrue(net.publicPool.contains(eip), eip + " from VNET_PUBLICIPS " + net.publicPool);
    boto(alice, "authorize", "alpha", "tcp", "80", "80", "0.0.0.0/0").assertOk();
    assertNull(internet.httpGet(eip, 80, "/"), "an unassociated address answers nothing");

    // associated with A1: the address answers with A1's page, and A1's requests out arrive from it
    double t0 = now();
    boto(alice, "associate", eip, a1.id()).assertOk();
    assertEquals(eip, await(TAKES_EFFECT, "DescribeInstances to show " + eip + " on A1", a1.id(), () -> {
      Instance i = describe(alice, a1.id());
      return i != null && eip.equals(i.publicIp()) ? i.publicIp() : null;
    }));
    String page = await(TAKES_EFFECT, eip + " answering HTTP", a1.id(), () -> internet.httpGet(eip, 80, "/"));
    assertTrue(page.contains("instance-id=" + a1.id()), "A1 answers on " + eip + ": " + page);
    InternetHost.Beacon out = await(TAKES_EFFECT, "a beacon of A1 from " + eip, a1.id(), () -> {
      InternetHost.Beacon bc = internet.latest("/beacon/" + a1.id(), t0 + 2);
      return bc != null && bc.source().equals(eip) ? bc : null;
    });
    assertEquals(eip, out.source());
    // ICMP as the rules say: echo requests (type 8, any code) only once allowed, and not after the revoke
    assertFalse(internet.ping(eip), "ping of " + eip + " before icmp is authorized");
    boto(alice, "authorize", "alpha", "icmp", "8", "-1", "0.0.0.0/0").assertOk();
    await(TAKES_EFFECT, eip + " answering ping after authorize icmp 8", a1.id(), () -> internet.ping(eip) ? Boolean.TRUE : null);
    boto(alice, "revoke", "alpha", "icmp", "8", "-1", "0.0.0.0/0").assertOk();
    await(TAKES_EFFECT, eip + " no longer answering ping after the revoke", a1.id(),
        () -> internet.ping(eip) ? null : Boolean.TRUE);

    // associated with A2 while on A1: it moves
    double t1 = now();
    boto(alice, "associate", eip, a2.id()).assertOk();
    await(TAKES_EFFECT, "DescribeInstances to show " + eip + " on A2 and no longer on A1", a2.id(), () -> {
      Instance i2 = describe(alice, a2.id());
      Instance i1 = describe(alice, a1.id());
      return i2 != null && i1 != null && eip.equals(i2.publicIp()) && !eip.equals(i1.publicIp()) ? Boolean.TRUE : null;
    });
    String moved = await(TAKES_EFFECT, eip + " answering for A2", a2.id(), () -> {
      String p = internet.httpGet(eip, 80, "/");
      return p != null && p.contains("instance-id=" + a2.id()) ? p : null;
    });
    assertTrue(moved.contains(a2.id()));
    await(TAKES_EFFECT, "a beacon of A2 from " + eip, a2.id(), () -> {
      InternetHost.Beacon bc = internet.latest("/beacon/" + a2.id(), t1 + 2);
      return bc != null && bc.source().equals(eip) ? bc : null;
    });
    // and A1's traffic no longer leaves from it
    double t2 = now();
    InternetHost.Beacon a1Now = await(TAKES_EFFECT, "a new beacon of A1", a1.id(),
        () -> internet.latest("/beacon/" + a1.id(), t2 + 1));
    assertNotEquals(eip, a1Now.source(), "A1's outbound traffic after the move");

    // disassociated: nothing answers on it
    boto(alice, "disassociate", eip).assertOk();
    await(TAKES_EFFECT, eip + " answering nothing", a2.id(), () -> internet.httpGet(eip, 80, "/") == null ? Boolean.TRUE : null);
    Instance a2After = await(TAKES_EFFECT, "DescribeInstances to show A2 without " + eip, a2.id(), () -> {
      Instance i = describe(alice, a2.id());
      return i != null && !eip.equals(i.publicIp()) ? i : null;
    });
    // launched with private addressing: no address of the pool comes back to it either
    assertFalse(net.publicPool.contains(a2After.publicIp()), "A2 (private addressing) after the disassociation: " + a2After);
    lap("elastic IP associate/move/disassociate");
  }

  @Test
  @Order(6)
  void trafficBetweenTwoUsersGroupsFlowsOnlyAsTheRulesAllowRoutedThroughTheCc() {
    assumeGuests();
    String a1Public = current(alice, a1.id()).publicIp();
    String alphaRouter = ipOf(ipValue(net.subnet) + blockIndex(a1.privateIp()) * ADDRS_PER_NET + 1);
    String probe = "timeout 5 wget -q -O - http://" + b.privateIp() + "/ 2>&1; echo exit=$?";
    // from A1 (alice, alpha) to B (bob, beta): another block, so through the router on the CC
    String route = sshWorks(aliceKey, a1Public, "ip route get " + b.privateIp(), TAKES_EFFECT, a1.id());
    assertTrue(route.contains("via " + alphaRouter), "A1 reaches B through its router on the CC: " + route);
    String denied = sshWorks(aliceKey, a1Public, probe, TAKES_EFFECT, a1.id());
    assertFalse(denied.contains("instance-id=" + b.id()), "beta allows nothing yet: " + denied);

    // a group with running instances cannot be deleted
    assertEquals("InvalidGroup.InUse", NetworkBoto.error(ec2, alice, "delete-group", "alpha"));

    // bob opens tcp 80 of beta to alice's alpha: A1 reaches B's port 80, and nothing else opens
    boto(bob, "authorize", "beta", "tcp", "80", "80", "alice/alpha").assertOk();
    String allowed = await(TAKES_EFFECT, "A1 reaching B:80 after beta allowed alice/alpha", b.id(), () -> {
      String o = internet.ssh(aliceKey, a1Public, probe).stdout();
      return o.contains("instance-id=" + b.id()) ? o : null;
    });
    assertTrue(allowed.contains("exit=0"), allowed);
    // (the same probe reaches A2's sshd in alpha's own block: it would see B's banner if it could)
    String banner = "timeout 5 nc %s 22 </dev/null 2>&1 | head -c 40; echo; echo done";
    String a2ssh = internet.ssh(aliceKey, a1Public, String.format(banner, a2.privateIp())).stdout();
    assertTrue(a2ssh.contains("SSH-"), "A1 sees A2's sshd banner within alpha's block: " + a2ssh);
    String ssh22 = internet.ssh(aliceKey, a1Public, String.format(banner, b.privateIp())).stdout();
    assertFalse(ssh22.contains("SSH-"), "B's port 22 stays closed to alpha: " + ssh22);
    assertNull(internet.httpGet(current(bob, b.id()).publicIp(), 80, "/"),
        "B's port 80 stays closed to the internet (the rule names a group)");

    // revoked: a new connection is refused again
    boto(bob, "revoke", "beta", "tcp", "80", "80", "alice/alpha").assertOk();
    await(TAKES_EFFECT, "A1 no longer reaching B:80 after the revoke", b.id(), () -> {
      String o = internet.ssh(aliceKey, a1Public, probe).stdout();
      return o.contains("exit=") && !o.contains("instance-id=" + b.id()) ? Boolean.TRUE : null;
    });
    lap("groups only as the rules allow");
  }

  @Test
  @Order(7)
  void addressActionsThroughBotoAndAwscliLimitOwnerAssociatedReleaseAndTheAdministratorsView() {
    assumeGuests();
    // bob allocates up to the limit (2 here), one more is AddressLimitExceeded (boto v2 and awscli v4)
    cloud.eucaConf("--set-property", "cloud.addresses.max.per.user=2").assertOk();
    List<String> bobs = new ArrayList<>();
    bobs.add(boto(bob, "allocate").assertOk().stdout().strip());
    bobs.add(aws(bob, "ec2", "allocate-address", "--query", "PublicIp", "--output", "text").assertOk().stdout().strip());
    for (String ip : bobs) {
      assertTrue(net.publicPool.contains(ip), ip);
    }
    assertEquals("AddressLimitExceeded", NetworkBoto.error(ec2, bob, "allocate"));
    Shell.Result over = aws(bob, "ec2", "allocate-address");
    assertTrue(over.exitCode() != 0 && over.all().contains("AddressLimitExceeded"), over.all());
    Shell.Result listed = aws(bob, "ec2", "describe-addresses", "--query", "Addresses[].PublicIp", "--output", "text").assertOk();
    for (String ip : bobs) {
      assertTrue(listed.stdout().contains(ip), listed.all());
    }

    // another user's address: alice can neither release nor associate nor see it
    String bobsAddress = bobs.get(0);
    String release = NetworkBoto.error(ec2, alice, "release", bobsAddress);
    String associate = NetworkBoto.error(ec2, alice, "associate", bobsAddress, a1.id());
    assertEquals("AuthFailure", release, "ReleaseAddress of another user's address");
    assertEquals("AuthFailure", associate, "AssociateAddress of another user's address");
    assertFalse(boto(alice, "addresses").assertOk().stdout().contains(bobsAddress + "\t"));
    Shell.Result awsRelease = aws(alice, "ec2", "release-address", "--public-ip", bobsAddress);
    assertNotEquals(0, awsRelease.exitCode(), awsRelease.all());
    assertTrue(bobsAddress.isEmpty() || boto(bob, "addresses").assertOk().stdout().contains(bobsAddress + "\t"),
        "bob still holds " + bobsAddress);

    // the administrator's view, as 1.5.2 showed it: every address of the pool, the owner in the
    // instance field ("available (bob)", "i-… (eucalyptus)" for a launch address, "nobody" when free)
    Map<String, String> adminView = new LinkedHashMap<>();
    boto(admin, "addresses").assertOk().stdout().lines().map(l -> l.split("\t", 2))
        .forEach(f -> adminView.put(f[0], f.length > 1 ? f[1] : ""));
    assertEquals(net.publicPool.stream().sorted().toList(), adminView.keySet().stream().sorted().toList(),
        "the admin sees the whole pool: " + adminView);
    for (String ip : bobs) {
      assertEquals("available (bob)", adminView.get(ip), "bob's address in the admin's view: " + adminView);
    }
    assertEquals(b.id() + " (eucalyptus)", adminView.get(current(bob, b.id()).publicIp()),
        "B's launch address in the admin's view: " + adminView);
    assertTrue(adminView.containsValue("nobody"), "free addresses in the admin's view: " + adminView);
    // and through awscli (v4)
    String awsAdmin = aws(admin, "ec2", "describe-addresses", "--query", "Addresses[].[PublicIp,InstanceId]", "--output",
        "text").assertOk().stdout();
    assertTrue(awsAdmin.contains(bobs.get(1) + "\tavailable (bob)"), awsAdmin);

    // release of an associated address (awscli): EC2 disassociates it, and it no longer answers
    String eip = aws(alice, "ec2", "allocate-address", "--query", "PublicIp", "--output", "text").assertOk().stdout().strip();
    aws(alice, "ec2", "associate-address", "--public-ip", eip, "--instance-id", a1.id()).assertOk();
    await(TAKES_EFFECT, eip + " answering for A1", a1.id(), () -> {
      String p = internet.httpGet(eip, 80, "/");
      return p != null && p.contains(a1.id()) ? p : null;
    });
    aws(alice, "ec2", "release-address", "--public-ip", eip).assertOk();
    await(TAKES_EFFECT, "the released " + eip + " answering nothing and off A1", a1.id(), () -> {
      Instance i = describe(alice, a1.id());
      return internet.httpGet(eip, 80, "/") == null && i != null && !eip.equals(i.publicIp()) ? Boolean.TRUE : null;
    });
    assertFalse(boto(alice, "addresses").assertOk().stdout().contains(eip + "\t"));
    for (String ip : bobs) {
      boto(bob, "release", ip).assertOk();
    }
    lap("address actions");
  }

  @Test
  @Order(8)
  void afterKill9OfTheCcAndARestartAddressesRulesAndAnOpenSshSessionSurvive() throws Exception {
    assumeGuests();
    Map<String, Instance> before = new LinkedHashMap<>();
    before.put(a1.id(), current(alice, a1.id()));
    before.put(a2.id(), current(alice, a2.id()));
    before.put(b.id(), current(bob, b.id()));
    String a1Public = before.get(a1.id()).publicIp();
    String rules = net.frontEndRules();
    String dhcp = read(dhcpConf());
    List<String> addresses = new ArrayList<>(net.frontEndAddresses(net.privFront));
    addresses.addAll(net.frontEndAddresses(net.pubFront));

    Path session = work.resolve("ssh-session.out");
    Process ssh = internet.openSession(aliceKey, a1Public, session);
    await(TAKES_EFFECT, "the ssh session to tick", a1.id(), () -> read(session).contains("tick 3") ? Boolean.TRUE : null);

    long pid = cloud.pid("eucalyptus-cc.pid");
    Shell.run(Map.of(), "kill", "-9", String.valueOf(pid)).assertOk();
    await(Duration.ofSeconds(30), "the CC's JVM gone", null, () -> Files.exists(Path.of("/proc/" + pid)) ? null : Boolean.TRUE);
    // the kernel keeps the dead CC's rules; take some away so that the comparison below shows the
    // restarted CC rebuilding them from its saved state (not merely finding them still there):
    // the elastic addresses' and metadata DNATs, and its dhcpd. The open session's packets are
    // already NATed by conntrack and do not need the rules meanwhile.
    net.fe("iptables", "-t", "nat", "-F", "EUCA-PREROUTING").assertOk();
    for (long dhcpd : net.frontEndProcesses("dhcpd")) {
      Shell.run(Map.of(), "kill", "-9", String.valueOf(dhcpd)).assertOk();
    }
    assertFalse(net.frontEndRules().equals(rules), "the front end's rules changed while the CC was down");
    cloud.start("cc");
    long ticksAtRestart = read(session).lines().filter(l -> l.startsWith("tick")).count();

    for (var e : before.entrySet()) {
      Credentials c = e.getKey().equals(b.id()) ? bob : alice;
      await(Duration.ofSeconds(60), e.getKey() + " with the same addresses after the restart", e.getKey(), () -> {
        Instance i = describe(c, e.getKey());
        return i != null && i.state().equals("running") && i.privateIp().equals(e.getValue().privateIp())
            && i.publicIp().equals(e.getValue().publicIp()) ? Boolean.TRUE : null;
      });
    }
    // the host as the CC left it: the same rules, addresses and dhcpd entries
    await(TAKES_EFFECT, "the front end's rules as before the kill", null, () -> net.frontEndRules().equals(rules) ? Boolean.TRUE : null);
    List<String> after = new ArrayList<>(net.frontEndAddresses(net.privFront));
    after.addAll(net.frontEndAddresses(net.pubFront));
    assertEquals(addresses.stream().sorted().toList(), after.stream().sorted().toList());
    assertEquals(dhcp, read(dhcpConf()), "euca-dhcp.conf after the restart");
    assertFalse(net.frontEndProcesses("dhcpd").isEmpty(), "dhcpd runs after the restart: " + net.diagnostics());

    // the open session kept going, and the rules still hold both ways
    await(TAKES_EFFECT, "the ssh session still ticking after the restart", a1.id(),
        () -> read(session).lines().filter(l -> l.startsWith("tick")).count() > ticksAtRestart + 3 ? Boolean.TRUE : null);
    assertTrue(ssh.isAlive(), "the ssh session ended: " + read(session));
    sshWorks(aliceKey, a1Public, "true", TAKES_EFFECT, a1.id());
    assertNull(internet.httpGet(b.publicIp(), 80, "/"), "beta's port 80 stays closed to the internet after the restart");
    ssh.destroy();
    lap("kill -9 of the CC");
  }

  @Test
  @Order(9)
  void theRootNamespacesFirewallIsUntouchedWhileTheCcRuns() {
    String diff = rootBefore.differences(RootFirewall.snapshot());
    assertNull(diff, diff);
    // while the CC's own rules are in the front end's namespace
    String rules = net.frontEndRules();
    assertTrue(rules.contains("169.254.169.254"), "the metadata redirect is in the front end's nat table: " + rules);
  }

  @Test
  @Order(10)
  void withTheClcOnAHostOfItsOwnTheGuestsStillReadTheirMetadataAndKeepTheirAddresses() {
    assumeGuests();
    Map<String, Instance> before = new LinkedHashMap<>();
    before.put(a1.id(), current(alice, a1.id()));
    before.put(a2.id(), current(alice, a2.id()));
    before.put(b.id(), current(bob, b.id()));
    String a1Public = before.get(a1.id()).publicIp();
    // the CLC moves to a namespace of its own behind the front end (its database goes with it: the
    // same install); the CC's metadata redirect follows VNET_CLOUDIP
    Map<String, String> moved = new LinkedHashMap<>(conf);
    moved.put("VNET_CLOUDIP", net.clcAddress);
    cloud.stop("cloud");
    try {
      net.addClcHost();
      cloud.runIn("cloud", net.clcNamespace);
      cloud.stop("cc");
      writeConf(moved, List.of());
      cloud.start("cc");
      cloud.start("cloud");
      ec2 = "http://" + net.clcAddress + ":8773/services/Eucalyptus";
      await(Duration.ofSeconds(90), "the cluster UP for the CLC at " + net.clcAddress, null, () -> Ec2Clients.boto(ec2, admin,
          "2", "zones", "verbose").assertOk().stdout().contains("certs[cc=true,nc=true]") ? Boolean.TRUE : null);
      // a CLC restart keeps every address assignment
      for (var e : before.entrySet()) {
        Credentials c = e.getKey().equals(b.id()) ? bob : alice;
        Instance i = await(Duration.ofSeconds(60), e.getKey() + " listed by the moved CLC", e.getKey(), () -> describe(c, e.getKey()));
        assertEquals(e.getValue().privateIp(), i.privateIp(), "after the CLC's move: " + i);
        assertEquals(e.getValue().publicIp(), i.publicIp(), "after the CLC's move: " + i);
      }
      // the guest asks 169.254.169.254 again: the CLC, two hops away, still knows it by its address
      String md = "wget -q -O - http://169.254.169.254/latest/meta-data/instance-id; echo;"
          + " wget -q -O - http://169.254.169.254/latest/meta-data/local-ipv4; echo;"
          + " wget -q -O - http://169.254.169.254/latest/meta-data/public-ipv4; echo";
      String out = sshWorks(aliceKey, a1Public, md, TAKES_EFFECT, a1.id());
      assertEquals(List.of(a1.id(), a1.privateIp(), a1Public), out.lines().map(String::strip).toList(),
          "A1's metadata through the CLC in " + net.clcNamespace);
    } finally {
      // back to the root namespace for what follows
      cloud.stop("cloud");
      cloud.runIn("cloud", null);
      ec2 = LOCAL_EC2;
      cloud.stop("cc");
      writeConf(conf, List.of());
      cloud.start("cc");
      cloud.start("cloud");
    }
    lap("CLC in a namespace of its own");
  }

  // ---------------------------------------------------------------- STATIC

  @Test
  @Order(20)
  void staticGivesTheMacMapsAddressesWithoutMetadataAndAKill9OfTheCcKeepsThem() throws Exception {
    Assumptions.assumeTrue(imageId != null, "needs the cloud");
    // the MANAGED-NOVLAN guests go first (the node's room, and a clean front end)
    for (String id : List.copyOf(launched)) {
      Credentials c = describe(alice, id) != null ? alice : bob;
      Instance i = describe(c, id);
      if (i != null && !i.state().equals("terminated")) {
        InstancesBoto.run(ec2, c, "terminate", id);
      }
    }
    for (String id : List.copyOf(launched)) {
      Credentials c = describe(alice, id) != null ? alice : bob;
      await(Duration.ofSeconds(90), id + " terminated", id, () -> {
        Instance i = describe(c, id);
        return (i == null || i.state().equals("terminated")) && GuestHost.qemuProcessesOf(id).isEmpty() ? Boolean.TRUE : null;
      });
    }
    lap("MANAGED-NOVLAN guests terminated");

    Map<String, String> macMap = new LinkedHashMap<>();
    macMap.put("d0:0d:5e:00:00:01", net.subnetPrefix + "50");
    macMap.put("d0:0d:5e:00:00:02", net.subnetPrefix + "51");
    cloud.stop("cc");
    // the front end re-provisioned for another mode, as a fresh host: nothing of MANAGED-NOVLAN's
    // rules, router addresses, dhcpd or saved state stays (STATIC touches no iptables at all)
    net.resetFrontEnd();
    try {
      Path state = cloud.home().resolve("var/run/eucalyptus/net/cc-network-state");
      Files.deleteIfExists(state);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeConf(net.staticConf(macMap), List.of());
    net.addStaticRouter();
    cloud.start("cc");
    await(Duration.ofSeconds(60), "the cluster UP again in STATIC", null, () -> Ec2Clients.boto(ec2, admin, "2", "zones", "verbose")
        .assertOk().stdout().contains("certs[cc=true,nc=true]") ? Boolean.TRUE : null);

    Path data = work.resolve("static-user-data");
    Files.writeString(data, "static\n");
    Shell.Result r = InstancesBoto.run(ec2, alice, "run", imageId, "key=alice-key", "userdata-file=" + data, "type=m1.small");
    assertEquals(0, r.exitCode(), "RunInstances in STATIC: " + r.all() + " | " + diag(null));
    String id = r.stdout().lines().skip(1).findFirst().orElseThrow().split("\t")[0];
    launched.add(id);
    await(RUNNING, id + " running", id, () -> {
      Instance i = describe(alice, id);
      return i != null && i.state().equals("running") ? i : null;
    });
    Matcher ready = await(BOOT, "the READY line of " + id, id, () -> {
      Matcher m = READY.matcher(console(alice, id));
      return m.find() ? m : null;
    });
    String ip = ready.group(2);
    String mac = domainInterface(id).split(" ")[0];
    assertTrue(macMap.containsKey(mac), "the guest's MAC comes from VNET_MACMAP: " + mac + " not in " + macMap);
    assertEquals(macMap.get(mac), ip, "dhcpd gave the MAC its VNET_MACMAP address: " + ready.group(0));
    Instance row = await(Duration.ofSeconds(30), "DescribeInstances to show " + ip, id, () -> {
      Instance i = describe(alice, id);
      return i != null && ip.equals(i.privateIp()) ? i : null;
    });
    assertEquals("instance-id=unknown", "instance-id=" + ready.group(1), "STATIC has no metadata service (as the guide): "
        + ready.group(0));
    assertTrue(read(dhcpConf()).toLowerCase().contains(mac), "euca-dhcp.conf: " + read(dhcpConf()));
    assertTrue(net.fe("curl", "-s", "-m", "5", "http://" + ip + "/").stdout().contains("EUCA-TEST-IMAGE-READY"),
        "the guest answers on the private network");

    // kill -9 of the CC, then a restart: the same address
    long pid = cloud.pid("eucalyptus-cc.pid");
    Shell.run(Map.of(), "kill", "-9", String.valueOf(pid)).assertOk();
    await(Duration.ofSeconds(30), "the CC's JVM gone", null, () -> Files.exists(Path.of("/proc/" + pid)) ? null : Boolean.TRUE);
    cloud.start("cc");
    await(Duration.ofSeconds(60), id + " at " + ip + " after the CC's restart", id, () -> {
      Instance i = describe(alice, id);
      return i != null && i.state().equals("running") && ip.equals(i.privateIp()) ? Boolean.TRUE : null;
    });
    assertEquals(row.publicIp(), current(alice, id).publicIp());
    assertTrue(read(dhcpConf()).toLowerCase().contains(mac), "euca-dhcp.conf after the restart: " + read(dhcpConf()));
    assertFalse(net.frontEndProcesses("dhcpd").isEmpty(), "dhcpd runs after the restart: " + net.diagnostics());
    InstancesBoto.run(ec2, alice, "terminate", id).assertOk();
    lap("STATIC");
  }
}
