package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.Ec2Clients;
import com.eucalyptus.itests.support.GuestHost;
import com.eucalyptus.itests.support.InstancesBoto;
import com.eucalyptus.itests.support.InstancesBoto.Instance;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.Shell;
import com.eucalyptus.itests.support.SiteNetwork;
import com.eucalyptus.itests.support.TestImages;
import com.eucalyptus.itests.support.VerboseZoneView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5's acceptance end to end: the CLC, the CC and two NCs as separate processes from the
 * init.d scripts, libvirtd running QEMU (TCG) guests of the project's test image, bundled,
 * uploaded and registered as a user would. SYSTEM networking as a site admin would set it up
 * ({@link SiteNetwork}): the guests' bridge, and a router namespace leasing addresses and
 * redirecting 169.254.169.254:80 to the CLC's metadata service, routed so that the CLC sees the
 * guest's own address. The image's init prints a READY line with what it read from the metadata
 * service. Guests are few (two cores, TCG) and reused across checks where the behaviour allows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstancesIT {
  static final String EC2 = "http://127.0.0.1:8773/services/Eucalyptus";
  static final int NC2_PORT = 8776;
  static final Duration BOOT = Duration.ofMinutes(5);
  static final Duration RUNNING = Duration.ofMinutes(4);
  /** NC_POLLING_FREQUENCY of the CC here, seconds. */
  static final int POLL = 5;
  static final Pattern READY = Pattern.compile("EUCA-TEST-IMAGE-READY instance-id=(\\S+) ip=(\\S+) key-fingerprint=(\\S+)"
      + " user-data-sha1=(\\S+) user-data=(.*)");

  static CloudInstallation cloud;
  static SiteNetwork site;
  static Credentials admin;
  static Path work;
  static Path nc2Conf;
  static String kernelId;
  static String ramdiskId;
  static String imageId;
  static final List<String> launched = new ArrayList<>();

  /** The guest the boto checks start and the restart checks keep using. */
  static String botoGuest;
  static Instance botoGuestRow;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void setUp() throws Exception {
    GuestHost.skipWhereGuestsCannotRun("InstancesIT");
    TestImages images = TestImages.make();

    cloud = CloudInstallation.install("instances", Map.of("SCHEDPOLICY", "ROUNDROBIN", "MAX_CORES", "2", "MAX_MEM", "512",
        "NC_POLLING_FREQUENCY", String.valueOf(POLL), "NC_CACHE_SIZE", "400", "LOGLEVEL", "INFO"));
    try {
      // QEMU runs as libvirt-qemu: it must reach the instance folders under the install
      Files.setPosixFilePermissions(cloud.home(), PosixFilePermissions.fromString("rwxr-xr-x"));
      work = Files.createDirectories(cloud.home().resolve("instances-work"));
      site = SiteNetwork.build(cloud.home().resolve("site"), busyboxDeb(), CloudInstallation.CLOUD_PORT);
      cloud.setConf(site.conf());
      // the second NC on this host: its own port and instance folder, the same share of the host
      nc2Conf = cloud.home().resolve("etc/eucalyptus/eucalyptus-nc2.conf");
      Files.copy(cloud.confFile(), nc2Conf);
      setConf(nc2Conf, Map.of("NC_PORT", String.valueOf(NC2_PORT), "INSTANCE_PATH", instancePath(2).toString()));

      cloud.start("cloud");
      cloud.start("cc");
      cloud.start("nc");
      startNc2();
      cloud.eucaConf("--addcluster", "cluster1", "127.0.0.1").assertOk();
      cloud.eucaConf("--addnode", "127.0.0.1").assertOk();
      cloud.eucaConf("--nodes", "127.0.0.1:8775 127.0.0.1:" + NC2_PORT).assertOk();
      restartCc();
      Path creds = cloud.credentials("admin");
      admin = CloudInstallation.readEucarc(creds);
      // kernel and ramdisk (admin only) and the root image, bundled, uploaded and registered with the installed tools
      TestImages.Registered registered = images.register(cloud, creds, work, "it");
      kernelId = registered.kernelId();
      ramdiskId = registered.ramdiskId();
      imageId = registered.imageId();
    } catch (Throwable t) {
      throw new AssertionError("setting up the cloud failed: " + t.getMessage().replace('\n', ' ') + " |"
          + GuestHost.daemonLogTails(cloud, 15) + (site == null ? "" : " " + site.diagnostics()), t);
    }
  }

  @AfterAll
  static void tearDown() {
    if (cloud != null) {
      cloud.initd("nc", "stop", Map.of("EUCA_CONF", String.valueOf(nc2Conf)));
      cloud.close();
      for (String id : launched) {
        // only the guests this test started (their ids are new), whatever state a failure left them in
        if (GuestHost.runningDomains().contains(id)) {
          GuestHost.virsh("destroy", id);
        }
      }
      for (int n = 1; n <= 2; n++) {
        Shell.run(Map.of(), "rm", "-rf", "--one-file-system", instancePath(n).toString());
      }
    }
    if (site != null) {
      site.close();
    }
  }

  // ---------------------------------------------------------------- set-up helpers

  static Path busyboxDeb() throws IOException {
    // where tools/make-test-images keeps the .debs it fetched
    String xdg = System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache");
    Path cache = Path.of(System.getenv().getOrDefault("EUCA_IMAGE_CACHE", xdg + "/eucalyptus/test-images"));
    try (Stream<Path> s = Files.list(cache)) {
      return s.filter(p -> p.getFileName().toString().startsWith("busybox-static_")).sorted().reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError("no busybox-static .deb in " + cache + " (tools/make-test-images fetches it)"));
    }
  }

  static Path instancePath(int nc) {
    return cloud.home().resolve(nc == 1 ? "instances" : "instances2");
  }

  static void setConf(Path file, Map<String, String> values) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    for (var e : values.entrySet()) {
      lines.removeIf(l -> l.matches("^\\s*" + Pattern.quote(e.getKey()) + "=.*"));
      lines.add(e.getKey() + "=\"" + e.getValue() + "\"");
    }
    Files.write(file, lines);
  }

  static void startNc2() {
    cloud.initd("nc", "start", Map.of("EUCA_CONF", nc2Conf.toString())).assertOk();
  }

  static void restartCc() {
    cloud.stop("cc");
    cloud.start("cc");
  }

  // ---------------------------------------------------------------- client helpers

  static Shell.Result boto(String... args) {
    return InstancesBoto.run(EC2, admin, args);
  }

  static Shell.Result aws(String... args) {
    return Ec2Clients.aws(EC2, admin, args);
  }

  /** The instance as DescribeInstances shows it, or null when it is not listed. */
  static Instance describe(String id) {
    return InstancesBoto.describe(EC2, admin).stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
  }

  static String state(String id) {
    Instance row = describe(id);
    return row == null ? "(not listed)" : row.state();
  }

  /** GetConsoleOutput through python3-boto (the client decodes the base64). */
  static String console(String id) {
    Shell.Result r = boto("console", id);
    r.assertOk();
    String out = r.stdout();
    int nl = out.indexOf('\n');
    return nl < 0 ? "" : out.substring(nl + 1);
  }

  static Instance awaitState(String id, String state, Duration limit) {
    return await(limit, id + " " + state, id, () -> {
      Instance row = describe(id);
      return row != null && row.state().equals(state) ? row : null;
    });
  }

  static Matcher awaitReadyLine(String id, Duration limit) {
    return await(limit, "the READY line on " + id + "'s console", id, () -> {
      Matcher m = READY.matcher(console(id));
      return m.find() ? m : null;
    });
  }

  /** Polls every 2 s; on time-out fails with one line of diagnostics about {@code id}. */
  static <T> T await(Duration limit, String what, String id, java.util.function.Supplier<T> check) {
    return CloudInstallation.await(limit, Duration.ofSeconds(2), what, () -> " | " + diag(id), check);
  }

  /** One line: the instance as described, the host's view of its guest, the consoles and the daemons' log tails. */
  static String diag(String id) {
    StringBuilder sb = new StringBuilder();
    try {
      if (id != null) {
        sb.append("describe=").append(boto("describe", id).all().strip().replace('\n', ' '));
        sb.append(" | node=").append(nodeOf(id)).append(" qemu pids=").append(GuestHost.qemuProcessesOf(id));
        Path dir = instanceDir(id);
        sb.append(" | console.log tail: ").append(dir == null ? "(no instance folder)" : GuestHost.tail(dir.resolve("console.log"), 6));
        sb.append(" | qemu log tail: ").append(GuestHost.qemuLogTail(id, 4));
      }
      sb.append(" | virsh list: ").append(GuestHost.runningDomains());
      sb.append(" |").append(GuestHost.daemonLogTails(cloud, 8));
      sb.append(" | ").append(site.diagnostics());
    } catch (RuntimeException | AssertionError e) {
      sb.append(" (diagnostics failed: ").append(e.getMessage()).append(")");
    }
    return sb.toString().replace('\n', ' ');
  }

  /** The instance's folder on whichever NC holds it (INSTANCE_PATH/admin/ID), or null. */
  static Path instanceDir(String id) {
    for (int n = 1; n <= 2; n++) {
      Path dir = instancePath(n).resolve("admin").resolve(id);
      if (Files.isDirectory(dir)) {
        return dir;
      }
    }
    return null;
  }

  /** 1 or 2: the NC whose INSTANCE_PATH holds the instance; 0 for none. */
  static int nodeOf(String id) {
    for (int n = 1; n <= 2; n++) {
      if (Files.isDirectory(instancePath(n).resolve("admin").resolve(id))) {
        return n;
      }
    }
    return 0;
  }

  static String md5FingerprintOfPublicKey(Path publicKey) {
    String out = Shell.run(Map.of(), "ssh-keygen", "-l", "-E", "md5", "-f", publicKey.toString()).assertOk().stdout();
    return out.split("\\s+")[1].replaceFirst("^MD5:", "");
  }

  static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static long count(String text, String what) {
    return text.lines().filter(l -> l.contains(what)).count();
  }

  static Path userData(String name, String text) throws IOException {
    Path p = work.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  static String random() {
    return HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(), (byte) new Random().nextInt(),
        (byte) new Random().nextInt()});
  }

  /** kill -9 of a daemon's JVM, then waits until the process is gone. */
  static void kill9(String pidFile) {
    long pid = cloud.pid(pidFile);
    Shell.run(Map.of(), "kill", "-9", String.valueOf(pid)).assertOk();
    await(Duration.ofSeconds(30), "pid " + pid + " (" + pidFile + ") gone", null,
        () -> Files.exists(Path.of("/proc/" + pid)) ? null : Boolean.TRUE);
  }

  /** Terminates through python3-boto and checks what the user sees until the guest is gone from the host. */
  static void terminateAndCheckGone(String id) {
    Path dir = instanceDir(id);
    Shell.Result t = boto("terminate", id);
    assertTrue(t.exitCode() == 0 && t.stdout().startsWith(id + "\t"), t.all() + " | " + diag(id));
    String[] f = t.stdout().lines().findFirst().orElseThrow().split("\t");
    assertEquals("running", f[1], "previous state: " + t.all());
    assertTrue(f[2].equals("shutting-down") || f[2].equals("terminated"), "current state: " + t.all());
    awaitState(id, "terminated", Duration.ofSeconds(60));
    await(Duration.ofSeconds(60), "the QEMU process of " + id + " to end", id,
        () -> GuestHost.qemuProcessesOf(id).isEmpty() && !GuestHost.runningDomains().contains(id) ? Boolean.TRUE : null);
    await(Duration.ofSeconds(30), "the instance folder " + dir + " to go", id,
        () -> dir == null || !Files.exists(dir) ? Boolean.TRUE : null);
  }

  // ---------------------------------------------------------------- checks

  @Test
  @Order(1)
  void theSiteNetworkTheDaemonsAndTheImagesAreReady() {
    // the router: its DHCP server and the site admin's redirect of the metadata address
    assertTrue(site.dhcpdRunning(), site.diagnostics());
    String nat = site.natRules();
    assertTrue(nat.contains("DNAT") && nat.contains("169.254.169.254") && nat.contains("dpt:80")
        && nat.contains("to:" + site.clcAddress + ":8773"), nat.replace('\n', ' '));
    // routed, not masqueraded: the router reaches the CLC's :8773 and has no MASQUERADE/SNAT rule
    String postrouting = site.ns("iptables", "-t", "nat", "-S", "POSTROUTING").stdout();
    assertFalse(postrouting.contains("MASQUERADE") || postrouting.contains("SNAT"), postrouting);
    Shell.Result curl = site.ns("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "10",
        "http://" + site.clcAddress + ":8773/latest/");
    assertTrue(curl.stdout().matches("[2-5]\\d\\d"), "the CLC answers the router: " + curl.all());

    // both NCs up behind the CC, each reporting its own share (MAX_CORES 2, MAX_MEM 512)
    List<String[]> rows = await(Duration.ofSeconds(90), "both nodes in the verbose view", null, () -> {
      List<String[]> r = VerboseZoneView.parseTabbed(Ec2Clients.boto(EC2, admin, "2", "zones", "verbose").assertOk().stdout());
      long nodes = r.stream().filter(x -> x[0].contains("EucalyptusNC") && x[1].contains("certs[cc=true,nc=true]")).count();
      boolean full = r.stream().anyMatch(x -> x[0].equals("|- m1.small") && x[1].startsWith("0004 / 0004"));
      return nodes == 2 && full ? r : null;
    });
    Map<String, String> byName = new LinkedHashMap<>();
    rows.forEach(r -> byName.put(r[0], r[1]));
    assertTrue(byName.containsKey("|- http://127.0.0.1:8775/axis2/services/EucalyptusNC")
        && byName.containsKey("|- http://127.0.0.1:" + NC2_PORT + "/axis2/services/EucalyptusNC"), byName.toString());
    // m1.large takes both cores of a node: one per node
    assertTrue(byName.get("|- m1.large").startsWith("0002 / 0002"), byName.toString());

    // the images, registered with the tools
    Shell.Result images = Shell.run(List.of("bash", "-c", ". '" + cloud.home().resolve("creds-admin/eucarc")
        + "'; export PATH='" + cloud.home().resolve("usr/bin") + "':$PATH; euca-describe-images"), cloud.env(), work,
        Duration.ofMinutes(1)).assertOk();
    for (String id : List.of(kernelId, ramdiskId, imageId)) {
      assertTrue(images.stdout().lines().anyMatch(l -> l.contains(id) && l.contains("available")), images.all());
    }
  }

  @Test
  @Order(2)
  void theImageRunsFromBotoAndReadsItsIdUserDataAndKeyFromTheMetadataService() throws Exception {
    // a key pair the cloud makes: the guest must hold its public half
    Shell.Result key = boto("create-key", "boto-key");
    key.assertOk();
    Path privateKey = work.resolve("boto-key.pem");
    Files.writeString(privateKey, key.stdout().substring(key.stdout().indexOf('\n') + 1));
    Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
    Path publicKey = work.resolve("boto-key.pub");
    Files.writeString(publicKey, Shell.run(Map.of(), "ssh-keygen", "-y", "-f", privateKey.toString()).assertOk().stdout());
    String fingerprint = md5FingerprintOfPublicKey(publicKey);

    String data = "hello from boto " + random();
    Shell.Result run = boto("run", imageId, "key=boto-key",
        "userdata-file=" + userData("boto-user-data", data + "\nsecond line\n"), "min=1", "max=1", "type=m1.small");
    assertEquals(0, run.exitCode(), "RunInstances: " + run.all() + " | " + diag(null));
    List<String> lines = run.stdout().lines().toList();
    assertTrue(lines.get(0).matches("r-[0-9A-F]{8}\tadmin"), run.stdout());
    String[] inst = lines.get(1).split("\t");
    botoGuest = inst[0];
    launched.add(botoGuest);
    assertTrue(botoGuest.matches("i-[0-9A-F]{8}"), run.stdout());
    assertEquals("pending", inst[1], "a new instance is pending: " + run.stdout());
    assertEquals("0", inst[2]);

    Instance running = awaitState(botoGuest, "running", RUNNING);
    assertEquals("16", running.code());
    assertEquals(lines.get(0).split("\t")[0], running.reservation());
    assertEquals("boto-key", running.key());
    assertEquals("m1.small", running.type());
    assertEquals(kernelId, running.kernel());
    assertEquals(ramdiskId, running.ramdisk());
    assertTrue(GuestHost.runningDomains().contains(botoGuest), diag(botoGuest));
    assertEquals(1, GuestHost.qemuProcessesOf(botoGuest).size(), diag(botoGuest));

    // the guest leased an address from the site's DHCP server and asked the metadata service
    // (through the router's redirect) for its id and user data
    Matcher ready = awaitReadyLine(botoGuest, BOOT);
    String line = ready.group(0);
    assertEquals(botoGuest, ready.group(1), line);
    assertTrue(ready.group(2).startsWith(site.guestNet), line + " | leased in " + site.guestNet + "0/24");
    assertEquals(fingerprint, ready.group(3), "the key the NC injected is the created key pair's: " + line);
    assertEquals(data, ready.group(5).strip(), line);
    assertEquals(sha1(data + "\nsecond line\n"), ready.group(4), "the whole user data reached the guest: " + line);

    // the CC learnt the leased address from the neighbour table: DescribeInstances shows it
    String ip = ready.group(2);
    botoGuestRow = await(Duration.ofSeconds(60), "DescribeInstances to show " + ip, botoGuest, () -> {
      Instance r = describe(botoGuest);
      return r != null && ip.equals(r.privateIp()) ? r : null;
    });
    assertEquals(ip, botoGuestRow.publicIp(), "SYSTEM mode: the public address is the private one");
    assertTrue(site.leases().contains(ip), site.leases());
  }

  @Test
  @Order(3)
  void aRebootShowsASecondBootOnTheConsole() {
    Assumptions.assumeTrue(botoGuestRow != null, "needs the running guest of the boto check");
    Shell.Result r = boto("reboot", botoGuest);
    assertTrue(r.exitCode() == 0 && r.stdout().strip().equals("True"), r.all() + " | " + diag(botoGuest));
    await(BOOT, "a second boot on " + botoGuest + "'s console", botoGuest, () -> {
      String text = console(botoGuest);
      int firstReady = text.indexOf("EUCA-TEST-IMAGE-READY");
      boolean again = count(text, "Linux version") >= 2 || firstReady >= 0 && text.indexOf("Linux version", firstReady) >= 0;
      return again ? Boolean.TRUE : null;
    });
    // the same guest (one QEMU process, not a new one) is running again, with its address
    assertEquals(1, GuestHost.qemuProcessesOf(botoGuest).size(), diag(botoGuest));
    Instance row = awaitState(botoGuest, "running", Duration.ofSeconds(30));
    assertEquals(botoGuestRow.privateIp(), row.privateIp(), diag(botoGuest));
  }

  @Test
  @Order(4)
  void theGuestSurvivesKill9OfTheCcThenTheNcThenTheClcAndIsThenTerminated() {
    Assumptions.assumeTrue(botoGuestRow != null, "needs the running guest of the boto check");
    String id = botoGuest;
    // the CC
    kill9("eucalyptus-cc.pid");
    cloud.start("cc");
    awaitSameAsBefore(id, "the CC's kill -9 and restart");
    // the NC that runs it
    int node = nodeOf(id);
    assertNotEquals(0, node, diag(id));
    if (node == 1) {
      kill9("eucalyptus-nc.pid");
      cloud.start("nc");
    } else {
      kill9("eucalyptus-nc-" + NC2_PORT + ".pid");
      startNc2();
    }
    awaitSameAsBefore(id, "NC " + node + "'s kill -9 and restart");
    assertEquals(1, GuestHost.qemuProcessesOf(id).size(), "the guest kept running: " + diag(id));
    // the CLC
    kill9("eucalyptus-cloud.pid");
    cloud.start("cloud");
    awaitSameAsBefore(id, "the CLC's kill -9 and restart");

    terminateAndCheckGone(id);
  }

  static void awaitSameAsBefore(String id, String after) {
    Instance row = await(Duration.ofSeconds(90), id + " running with its addresses after " + after, id, () -> {
      Instance r = describe(id);
      return r != null && r.state().equals("running") && botoGuestRow.privateIp().equals(r.privateIp()) ? r : null;
    });
    assertEquals(botoGuestRow.publicIp(), row.publicIp(), after + ": " + diag(id));
    assertEquals(botoGuestRow.reservation(), row.reservation(), after);
    assertEquals(botoGuestRow.launchTime(), row.launchTime(), after);
  }

  @Test
  @Order(5)
  void awscliRunsTwoRoundRobinOnEachNodeAndAGuestDestroyedBehindTheNcsBackStopsRunning() throws Exception {
    // an imported key: DescribeKeyPairs shows the MD5 fingerprint the guest computes itself
    Path keyFile = work.resolve("aws-key");
    Shell.run(Map.of(), "ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "instances-it", "-f",
        keyFile.toString()).assertOk();
    aws("ec2", "import-key-pair", "--key-name", "aws-key", "--public-key-material",
        "fileb://" + keyFile + ".pub").assertOk();
    String fingerprint = aws("ec2", "describe-key-pairs", "--key-names", "aws-key", "--query",
        "KeyPairs[0].KeyFingerprint", "--output", "text").assertOk().stdout().strip();
    assertEquals(md5FingerprintOfPublicKey(Path.of(keyFile + ".pub")), fingerprint);

    String data = "hello from awscli " + random();
    Shell.Result run = aws("ec2", "run-instances", "--image-id", imageId, "--count", "2", "--instance-type", "m1.small",
        "--key-name", "aws-key", "--user-data", "file://" + userData("aws-user-data", data + "\n"), "--query",
        "Instances[].[InstanceId,State.Name,AmiLaunchIndex]", "--output", "text");
    assertEquals(0, run.exitCode(), "RunInstances (awscli): " + run.all() + " | " + diag(null));
    List<String[]> rows = run.stdout().lines().map(l -> l.split("\t")).toList();
    assertEquals(2, rows.size(), run.stdout());
    List<String> ids = rows.stream().map(r -> r[0]).toList();
    launched.addAll(ids);
    for (String[] r : rows) {
      assertEquals("pending", r[1], run.stdout());
    }
    assertEquals(List.of("0", "1"), rows.stream().map(r -> r[2]).sorted().toList(), run.stdout());
    // ROUNDROBIN: one on each node
    await(Duration.ofSeconds(60), "an instance folder for each of " + ids, ids.get(0),
        () -> nodeOf(ids.get(0)) != 0 && nodeOf(ids.get(1)) != 0 ? Boolean.TRUE : null);
    assertEquals(List.of(1, 2), ids.stream().map(InstancesIT::nodeOf).sorted().toList(),
        "ROUNDROBIN puts one on each NC: " + diag(ids.get(0)));

    for (String id : ids) {
      await(RUNNING, id + " running (awscli)", id, () -> {
        Shell.Result d = aws("ec2", "describe-instances", "--instance-ids", id, "--query",
            "Reservations[].Instances[].State.Name", "--output", "text");
        return d.exitCode() == 0 && d.stdout().strip().equals("running") ? Boolean.TRUE : null;
      });
    }
    for (String id : ids) {
      String ready = await(BOOT, "the READY line of " + id + " through awscli", id, () -> {
        Shell.Result c = aws("ec2", "get-console-output", "--instance-id", id, "--query", "Output", "--output", "text");
        return c.exitCode() == 0 ? c.stdout().lines().filter(l -> l.contains("EUCA-TEST-IMAGE-READY")).findFirst()
            .orElse(null) : null;
      });
      Matcher m = READY.matcher(ready);
      assertTrue(m.find(), ready);
      assertEquals(id, m.group(1), ready);
      assertEquals(fingerprint, m.group(3), ready);
      assertEquals(data, m.group(5).strip(), ready);
      String ip = m.group(2);
      await(Duration.ofSeconds(60), "awscli to show " + id + " at " + ip, id, () -> {
        Shell.Result d = aws("ec2", "describe-instances", "--instance-ids", id, "--query",
            "Reservations[].Instances[].[PrivateIpAddress,PublicIpAddress]", "--output", "text");
        return d.stdout().strip().equals(ip + "\t" + ip) ? Boolean.TRUE : null;
      });
    }

    // one guest destroyed behind its NC's back: no longer running within one poll period
    String victim = ids.get(0);
    GuestHost.virsh("destroy", victim).assertOk();
    long destroyed = System.nanoTime();
    await(Duration.ofSeconds(POLL + 10), victim + " no longer running after virsh destroy", victim, () -> {
      Instance r = describe(victim);
      return r == null || !r.state().equals("running") ? Boolean.TRUE : null;
    });
    long seconds = (System.nanoTime() - destroyed) / 1_000_000_000L;
    System.out.println("InstancesIT: " + victim + " reported not running " + seconds + " s after virsh destroy");
    assertEquals("running", state(ids.get(1)), "the other guest is untouched: " + diag(ids.get(1)));

    // the other is terminated through awscli
    String other = ids.get(1);
    Path dir = instanceDir(other);
    Shell.Result t = aws("ec2", "terminate-instances", "--instance-ids", other, "--query",
        "TerminatingInstances[0].[PreviousState.Name,CurrentState.Name]", "--output", "text");
    assertEquals(0, t.exitCode(), t.all() + " | " + diag(other));
    assertTrue(t.stdout().strip().matches("running\t(shutting-down|terminated)"), t.all());
    awaitState(other, "terminated", Duration.ofSeconds(60));
    await(Duration.ofSeconds(60), other + "'s QEMU process and folder gone", other,
        () -> GuestHost.qemuProcessesOf(other).isEmpty() && (dir == null || !Files.exists(dir)) ? Boolean.TRUE : null);
  }

  @Test
  @Order(6)
  void greedyPutsBothOnOneNodeAndAStoppedNodeIsSkipped() throws Exception {
    // guests an earlier failed check left behind would take the room this check counts on
    for (String id : launched) {
      if (List.of("pending", "running").contains(state(id))) {
        boto("terminate", id);
        awaitState(id, "terminated", Duration.ofMinutes(2));
      }
    }
    cloud.setConf(Map.of("SCHEDPOLICY", "GREEDY"));
    restartCc();
    // the CC's first poll must have seen both nodes' room again
    await(Duration.ofSeconds(60), "4 m1.small free", null, () -> Ec2Clients.boto(EC2, admin, "2", "zones", "verbose")
        .assertOk().stdout().contains("|- m1.small\t0004 / 0004") ? Boolean.TRUE : null);
    Path data = userData("greedy-user-data", "greedy\n");
    Shell.Result run = boto("run", imageId, "key=boto-key", "userdata-file=" + data, "min=2", "max=2", "type=m1.small");
    assertEquals(0, run.exitCode(), "RunInstances (GREEDY): " + run.all() + " | " + diag(null));
    List<String> ids = run.stdout().lines().skip(1).map(l -> l.split("\t")[0]).toList();
    launched.addAll(ids);
    assertEquals(2, ids.size(), run.stdout());
    await(Duration.ofSeconds(60), "an instance folder for each of " + ids, ids.get(0),
        () -> nodeOf(ids.get(0)) != 0 && nodeOf(ids.get(1)) != 0 ? Boolean.TRUE : null);
    assertEquals(List.of(1, 1), ids.stream().map(InstancesIT::nodeOf).toList(),
        "GREEDY fills the first NC: " + diag(ids.get(0)));
    for (String id : ids) {
      Shell.Result t = boto("terminate", id);
      assertEquals(0, t.exitCode(), t.all());
    }
    for (String id : ids) {
      awaitState(id, "terminated", Duration.ofMinutes(3));
      await(Duration.ofSeconds(60), id + "'s QEMU process gone", id,
          () -> GuestHost.qemuProcessesOf(id).isEmpty() ? Boolean.TRUE : null);
    }

    // the first node stopped: GREEDY's first choice is skipped, the instance lands on the second
    cloud.stop("nc");
    try {
      Shell.Result one = boto("run", imageId, "key=boto-key", "userdata-file=" + data, "min=1", "max=1",
          "type=m1.small");
      assertEquals(0, one.exitCode(), "RunInstances with NC 1 stopped: " + one.all() + " | " + diag(null));
      String id = one.stdout().lines().skip(1).findFirst().orElseThrow().split("\t")[0];
      launched.add(id);
      await(Duration.ofSeconds(60), "the instance folder of " + id, id, () -> nodeOf(id) != 0 ? Boolean.TRUE : null);
      assertEquals(2, nodeOf(id), "the stopped NC 1 was skipped: " + diag(id));
      boto("terminate", id).assertOk();
      awaitState(id, "terminated", Duration.ofMinutes(3));
      await(Duration.ofSeconds(60), id + "'s QEMU process gone", id,
          () -> GuestHost.qemuProcessesOf(id).isEmpty() ? Boolean.TRUE : null);
    } finally {
      cloud.start("nc");
    }
  }
}
