package com.eucalyptus.nc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.nc.images.WalrusImageStandIn;
import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.runtime.logging.DaemonLogging;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.runtime.soap.WsSecurityKeys;
import com.eucalyptus.wsdl.nc.EucalyptusNCStub;
import com.eucalyptus.wsdl.nc.types.*;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.axis2.AxisFault;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real guests: the NC, started as the daemon starts it, boots the project's test image (built by
 * tools/make-test-images from Debian's kernel and busybox) through libvirt qemu:///system as
 * plain QEMU (TCG), on a bridge made for the test. The images come from a stand-in for Walrus's
 * GetDecryptedImage (WalrusImageStandIn; the real service has its own tests in the walrus
 * module), which checks the node's signature as Walrus does. Every call goes over signed SOAP as
 * the CC makes it. Cleans up its domains (named for this run) and its bridge.
 */
class GuestBootTest {
  static final CommandRunner SH = new CommandRunner();
  static final String RUN = HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(), (byte) new Random().nextInt(),
      (byte) new Random().nextInt()}).toUpperCase();
  static final String BRIDGE = "eucant" + RUN.toLowerCase().substring(0, 4);
  static final String VETH = "eucv" + RUN.toLowerCase().substring(0, 4);
  static final String NETNS = "euca-nc-site-" + RUN.toLowerCase();
  static final List<Process> siteProcesses = new ArrayList<>();
  static String siteNet;
  static Path keyFile;
  static String KEY;
  static Path home;
  static EucaPaths paths;
  static WalrusImageStandIn walrus;
  static NodeControllerMain.Running nc;
  static int port;
  static URI kernel;
  static URI ramdisk;
  static URI root;
  static final List<String> domains = new ArrayList<>();
  /** the cloud's CA (cloud-cert.pem, copied to nodes as euca_conf --synckeys does), which issued the node's keys */
  static CertificateAuthority.Issued cloud;
  /**
   * How long a guest may take from ncRunInstance to Extant (images fetched, disks built, domain
   * started; about 5 s here once libvirtd's QEMU capabilities are cached). Generous for a slower
   * machine, and for one where libvirtd re-probes QEMU on every domain start (~45 s: /dev/kvm not
   * usable by libvirt-qemu, which dev/packages.sh start_libvirt corrects; see docs/nc.md). A
   * launch that fails ends the wait at once with its reason.
   */
  static final Duration START = Duration.ofSeconds(300);
  /** How long a TCG guest on a busy 2-core machine may take to show a console milestone. */
  static final Duration BOOT = Duration.ofSeconds(240);

  @BeforeAll
  static void setUp() throws Exception {
    if (!Files.exists(Path.of("/var/run/libvirt/libvirt-sock"))) {
      System.out.println("SKIPPED GuestBootTest: libvirtd is not running (dev/packages.sh start_libvirt starts it)");
      Assumptions.abort("libvirtd is not running");
    }
    // fresh-check's chroot can neither enter network namespaces nor let libvirt probe QEMU; CI can
    Assumptions.assumeFalse("1".equals(System.getenv("EUCA_SKIP_NETNS_TESTS")), "EUCA_SKIP_NETNS_TESTS=1");
    Process probe = new ProcessBuilder("virsh", "-c", "qemu:///system", "domcapabilities", "--virttype", "qemu",
        "--arch", "x86_64").redirectErrorStream(true).start();
    String probed = new String(probe.getInputStream().readAllBytes());
    if (probe.waitFor() != 0) {
      System.out.println("SKIPPED GuestBootTest: libvirt cannot run QEMU on this machine: " + probed.trim());
      Assumptions.abort("libvirt cannot run QEMU here: " + probed.trim());
    }
    home = Files.createTempDirectory("euca-nc-boot");
    // the QEMU process runs as libvirt-qemu: it must reach the instance folders
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    paths = EucaPaths.at(home);
    paths.ensureVarDirs();
    // the NC logs as the daemon does, into nc.log: a failed wait quotes it
    DaemonLogging.init("nc", paths.logDir(), "INFO");
    cloud = CertificateAuthority.newSelfSigned("CN=cloud, OU=Eucalyptus, O=Cloud, C=US");
    CertificateAuthority ca = new CertificateAuthority(cloud.certificate(), cloud.keyPair().getPrivate());
    Pem.writeCertificate(paths.keysDir().resolve("cloud-cert.pem"), cloud.certificate());
    for (String who : new String[] {"cluster", "node"}) {
      CertificateAuthority.Issued i = ca.issue("CN=" + who + ", OU=Eucalyptus, O=Cloud, C=US");
      Pem.writeCertificate(paths.keysDir().resolve(who + "-cert.pem"), i.certificate());
      Pem.writePrivateKey(paths.keysDir().resolve(who + "-pk.pem"), i.keyPair().getPrivate());
    }
    keyFile = home.resolve("id_rsa");
    sh("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "nc-boot-test", "-f", keyFile.toString());
    KEY = Files.readString(home.resolve("id_rsa.pub")).strip();
    Path images = Path.of(System.getProperty("euca.test.images", System.getProperty("java.io.tmpdir") + "/euca-test-images"));
    Files.createDirectories(images);
    CommandResult made = SH.run(List.of(Path.of("..", "tools", "make-test-images").toAbsolutePath().normalize().toString(),
        images.toString()), null, Duration.ofMinutes(5));
    assertEquals(0, made.exitCode(), "tools/make-test-images: " + made.stderr());
    Properties env = new Properties();
    try (var r = Files.newBufferedReader(images.resolve("images.env"))) {
      env.load(r);
    }
    walrus = new WalrusImageStandIn(Pem.readCertificate(paths.keysDir().resolve("node-cert.pem")));
    kernel = walrus.publish("kernels", "vmlinuz", images.resolve(env.getProperty("KERNEL")));
    ramdisk = walrus.publish("kernels", "initrd", images.resolve(env.getProperty("RAMDISK")));
    root = walrus.publish("images", "busybox", images.resolve(env.getProperty("ROOT")));
    sh("ip", "link", "add", "name", BRIDGE, "type", "bridge");
    sh("ip", "link", "set", BRIDGE, "up");
    siteNetwork();
    port = freePort();
    nc = NodeControllerMain.start(paths, conf(port, home.resolve("instances")));
  }

  /**
   * The site's side of SYSTEM mode, as a site admin would have it (standing in for the site's
   * router and the CLC's metadata service, which the CLC-level acceptance test provides for real):
   * a namespace on the bridge with a DHCP server (busybox udhcpd, from the test image's busybox
   * package) and 169.254.169.254:80 answering instance-id and user-data (busybox httpd). So the
   * guest's NIC, with the MAC the CC chose, gets a lease and the image's init prints its READY
   * line with the fingerprint of the key the NC put into its root file system.
   */
  static void siteNetwork() throws Exception {
    // where tools/make-test-images keeps the .debs it fetched (its own rule)
    String xdg = orElse(System.getenv("XDG_CACHE_HOME"), orElse(System.getenv("HOME"), System.getProperty("user.home")) + "/.cache");
    Path cache = Path.of(orElse(System.getenv("EUCA_IMAGE_CACHE"), xdg + "/eucalyptus/test-images"));
    Path deb;
    try (var s = Files.newDirectoryStream(cache, "busybox-static_*.deb")) {
      deb = s.iterator().next();
    }
    Path bb = home.resolve("busybox");
    sh("dpkg-deb", "-x", deb.toString(), bb.toString());
    Path busybox = bb.resolve("bin/busybox");
    String net = "10.254." + (1 + new Random().nextInt(250)) + ".";
    sh("ip", "netns", "add", NETNS);
    sh("ip", "link", "add", VETH + "h", "type", "veth", "peer", "name", VETH + "n");
    sh("ip", "link", "set", VETH + "h", "master", BRIDGE, "up");
    sh("ip", "link", "set", VETH + "n", "netns", NETNS);
    sh("ip", "netns", "exec", NETNS, "ip", "link", "set", "lo", "up");
    sh("ip", "netns", "exec", NETNS, "ip", "addr", "add", net + "1/24", "dev", VETH + "n");
    sh("ip", "netns", "exec", NETNS, "ip", "addr", "add", "169.254.169.254/32", "dev", VETH + "n");
    sh("ip", "netns", "exec", NETNS, "ip", "link", "set", VETH + "n", "up");
    Path site = Files.createDirectories(home.resolve("site"));
    Files.writeString(site.resolve("udhcpd.conf"), "interface " + VETH + "n\nstart " + net + "10\nend " + net + "20\n"
        + "option subnet 255.255.255.0\noption router " + net + "1\nlease_file " + site.resolve("leases") + "\npidfile "
        + site.resolve("udhcpd.pid") + "\n");
    Files.createFile(site.resolve("leases"));
    Path md = Files.createDirectories(site.resolve("www/latest/meta-data"));
    Files.writeString(md.resolve("instance-id"), "i-" + RUN + "01\n");
    Files.writeString(site.resolve("www/latest/user-data"), "hello from the boot test\n");
    siteProcesses.add(new ProcessBuilder("ip", "netns", "exec", NETNS, busybox.toString(), "udhcpd", "-f",
        site.resolve("udhcpd.conf").toString()).redirectErrorStream(true).redirectOutput(site.resolve("udhcpd.log").toFile()).start());
    siteProcesses.add(new ProcessBuilder("ip", "netns", "exec", NETNS, busybox.toString(), "httpd", "-f", "-p", "169.254.169.254:80",
        "-h", site.resolve("www").toString()).redirectErrorStream(true).redirectOutput(site.resolve("httpd.log").toFile()).start());
    siteNet = net;
  }

  /** {@code value}, or {@code otherwise} when it is unset or empty (the shell's ${VAR:-otherwise}). */
  static String orElse(String value, String otherwise) {
    return value == null || value.isEmpty() ? otherwise : value;
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (nc != null) {
      nc.stop();
    }
    for (Process p : siteProcesses) {
      p.destroy(); // ip netns exec passes the signal on: these are the processes this test started
      p.waitFor();
    }
    SH.run("ip", "link", "del", VETH + "h");
    SH.run("ip", "netns", "del", NETNS);
    for (String d : domains) {
      SH.run("virsh", "-c", "qemu:///system", "destroy", d);
    }
    SH.run("ip", "link", "del", BRIDGE);
    if (walrus != null) {
      walrus.close();
    }
    if (home != null) {
      SH.run("rm", "-rf", "--one-file-system", home.toString());
    }
    // back to the tests' logging (log4j2-test.xml) for the test classes that run after this one
    Configurator.reconfigure(GuestBootTest.class.getResource("/log4j2-test.xml").toURI());
  }

  static EucalyptusConf conf(int port, Path instances) {
    Map<String, String> m = new HashMap<>(Map.of("NC_PORT", String.valueOf(port), "HYPERVISOR", "qemu",
        "LIBVIRT_URI", "qemu:///system", "INSTANCE_PATH", instances.toString(), "ENABLE_WS_SECURITY", "Y",
        "VNET_BRIDGE", BRIDGE, "SWAP_SIZE", "16", "NC_CACHE_SIZE", "200", "MAX_MEM", "1024", "MAX_CORES", "4"));
    return EucalyptusConf.of(m);
  }

  static void sh(String... cmd) {
    CommandResult r = SH.run(cmd);
    assertEquals(0, r.exitCode(), String.join(" ", cmd) + ": " + r.stderr());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static EucalyptusNCStub stub(int port) throws Exception {
    WsSecurityKeys keys = WsSecurityKeys.load(paths.keysDir(), "cluster-pk.pem", "cluster-cert.pem", "node-cert.pem");
    return SoapClients.secure(new EucalyptusNCStub(SoapClients.clientContext(),
        "http://127.0.0.1:" + port + "/axis2/services/EucalyptusNC"), keys, Duration.ofSeconds(60));
  }

  static InstanceType run(String id) throws Exception {
    NcRunInstanceType t = new NcRunInstanceType();
    t.setCorrelationId("boot-" + id);
    t.setUserId("admin");
    t.setInstanceId(id);
    t.setReservationId("r-" + RUN + "00");
    t.setImageId("emi-BB" + RUN);
    t.setImageURL(root.toString());
    t.setKernelId("eki-EE" + RUN);
    t.setKernelURL(kernel.toString());
    t.setRamdiskId("eri-EE" + RUN);
    t.setRamdiskURL(ramdisk.toString());
    VirtualMachineType vm = new VirtualMachineType();
    vm.setMemory(160);
    vm.setCores(1);
    vm.setDisk(1);
    t.setInstanceType(vm);
    t.setKeyName(KEY);
    t.setPrivateMacAddress("d0:0d:" + id.substring(2, 4) + ":" + id.substring(4, 6) + ":" + id.substring(6, 8) + ":" + id.substring(8, 10));
    t.setPublicMacAddress(t.getPrivateMacAddress());
    t.setVlan(0);
    t.setUserData(Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8)));
    t.setLaunchIndex("0");
    t.setGroupNames(new String[] {"default"});
    NcRunInstance r = new NcRunInstance();
    r.setNcRunInstance(t);
    domains.add(id);
    NcRunInstanceResponseType out = stub(port).ncRunInstance(r).getNcRunInstanceResponse();
    assertTrue(out.get_return());
    return out.getInstance();
  }

  static InstanceType describe(int port, String id) throws Exception {
    NcDescribeInstancesType t = new NcDescribeInstancesType();
    t.setCorrelationId("d");
    t.setUserId("admin");
    t.setInstanceIds(new String[] {id});
    NcDescribeInstances r = new NcDescribeInstances();
    r.setNcDescribeInstances(t);
    InstanceType[] all = stub(port).ncDescribeInstances(r).getNcDescribeInstancesResponse().getInstances();
    return all == null || all.length == 0 ? null : all[0];
  }

  static String console(String id) throws Exception {
    NcGetConsoleOutputType t = new NcGetConsoleOutputType();
    t.setInstanceId(id);
    t.setCorrelationId("c");
    t.setUserId("admin");
    NcGetConsoleOutput r = new NcGetConsoleOutput();
    r.setNcGetConsoleOutput(t);
    NcGetConsoleOutputResponseType out = stub(port).ncGetConsoleOutput(r).getNcGetConsoleOutputResponse();
    assertNotNull(out.getTimestamp());
    return new String(Base64.getDecoder().decode(out.getConsoleOutput()), StandardCharsets.UTF_8);
  }

  static NcDescribeResourceResponseType resources() throws Exception {
    NcDescribeResourceType t = new NcDescribeResourceType();
    t.setCorrelationId("r");
    t.setUserId("admin");
    NcDescribeResource r = new NcDescribeResource();
    r.setNcDescribeResource(t);
    return stub(port).ncDescribeResource(r).getNcDescribeResourceResponse();
  }

  /**
   * Waits until {@code ok}; when {@code limit} passes, fails with what the NC, its log, QEMU's log
   * and libvirt show about instance {@code id}, on one line (a CI summary shows only the first).
   */
  static void await(String id, String what, Duration limit, BooleanSupplier ok) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for: " + what + " -- " + diagnostics(id));
      }
      Thread.sleep(500);
    }
  }

  /** Waits for {@code id} to be Extant; a launch that failed (Teardown) fails at once, with its reason from nc.log. */
  static void awaitExtant(String id) throws InterruptedException {
    long end = System.nanoTime() + START.toNanos();
    while (true) {
      String state = stateOf(id);
      if ("Extant".equals(state)) {
        return;
      }
      if ("Teardown".equals(state)) {
        throw new AssertionError(id + " failed to start (Teardown) -- " + diagnostics(id));
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + START.toSeconds() + " s waiting for: " + id + " Extant -- " + diagnostics(id));
      }
      Thread.sleep(500);
    }
  }

  /** The instance's state as the NC reports it, or what went wrong asking. */
  static String stateOf(String id) {
    try {
      InstanceType i = describe(port, id);
      return i == null ? "not listed" : i.getStateName();
    } catch (Exception e) {
      return "ncDescribeInstances failed: " + e.getMessage();
    }
  }

  /**
   * Everything that tells why a guest is not where it should be, on one line: the NC's state, the
   * NC's log lines about it and its warnings, QEMU's log, the console's last lines and libvirt's
   * domain list.
   */
  static String diagnostics(String id) {
    StringBuilder b = new StringBuilder("NC says " + id + " is " + stateOf(id));
    b.append(" | nc.log: ").append(tail(paths.logDir().resolve("nc.log"), 12,
        l -> (l.contains(id) && !l.matches(".* commands: exec: .* => exit 0")) || l.contains(" WARN ") || l.contains(" ERROR ")
            || l.contains(" FATAL ")));
    b.append(" | /var/log/libvirt/qemu/").append(id).append(".log: ")
        .append(tail(Path.of("/var/log/libvirt/qemu", id + ".log"), 6, l -> true));
    b.append(" | console: ").append(tail(home.resolve("instances/admin/" + id + "/console.log"), 4, l -> !l.isBlank()));
    CommandResult list = SH.run("virsh", "-c", "qemu:///system", "list", "--all");
    b.append(" | virsh list --all: ").append(list.stdout()).append(list.stderr());
    return b.toString().replaceAll("\\s*[\\r\\n]+\\s*", " / ").replaceAll("[ \\t]+", " ");
  }

  /** The last {@code n} lines of {@code file} that {@code keep} accepts, or why there are none. */
  static String tail(Path file, int n, java.util.function.Predicate<String> keep) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1).stream().filter(keep).toList();
      if (lines.isEmpty()) {
        return "(nothing)";
      }
      return String.join(" / ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (java.nio.file.NoSuchFileException e) {
      return "(no such file)";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static BooleanSupplier quietly(Check c) {
    return () -> {
      try {
        return c.ok();
      } catch (Exception e) {
        return false;
      }
    };
  }

  static List<String> virshList() {
    return List.of(SH.run("virsh", "-c", "qemu:///system", "list", "--name").stdout().strip().split("\\s+"));
  }

  /** QEMU processes whose command line names {@code id} (read from /proc, nothing is signalled). */
  static List<String> qemuProcessesOf(String id) throws IOException {
    List<String> found = new ArrayList<>();
    try (var procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : procs) {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
          if (cmd.contains("qemu") && cmd.contains("guest=" + id)) {
            found.add(p.getFileName() + ": " + cmd);
          }
        } catch (IOException gone) {
          // the process ended meanwhile
        }
      }
    }
    return found;
  }

  static long count(String text, String what) {
    return text.lines().filter(l -> l.contains(what)).count();
  }

  @Test
  void aGuestBootsRebootsSurvivesAnNcRestartAndIsTerminated() throws Exception {
    String id = "i-" + RUN + "01";
    String other = "i-" + RUN + "02";
    InstanceType first = run(id);
    assertEquals("Pending", first.getStateName());
    assertEquals(id, first.getInstanceId());
    assertEquals("emi-BB" + RUN, first.getImageId());
    assertEquals(KEY, first.getKeyName());
    assertEquals(160, first.getInstanceType().getMemory());
    assertTrue(first.getServiceTag().endsWith(":" + port + "/axis2/services/EucalyptusNC"), first.getServiceTag());
    NcDescribeResourceResponseType res = resources();
    assertEquals(1024 - 160, res.getMemorySizeAvailable(), "memory held by the pending guest");
    assertEquals(4 - 1, res.getNumberOfCoresAvailable());

    awaitExtant(id);
    assertEquals(3, walrus.imageGets.get(), "kernel, ramdisk and image fetched once each");
    assertTrue(walrus.refusals.isEmpty(), walrus.refusals.toString());
    // a second guest from the cache, started while the first one is looked at
    run(other);
    assertTrue(virshList().contains(id), virshList().toString());
    assertEquals(1, qemuProcessesOf(id).size());
    String xml = SH.run("virsh", "-c", "qemu:///system", "dumpxml", id).stdout();
    assertTrue(xml.contains("<source bridge='" + BRIDGE + "'/>") && xml.contains("d0:0d:"), xml);

    // the guest boots: the kernel's banner, the initrd mounting the root partition vda1 (with the
    // key the NC put in), the root file system's init
    await(id, "the kernel's lines on the console", BOOT,
        quietly(() -> console(id).contains("Linux version") && console(id).contains("EXT4-fs (vda1)")));
    String log = console(id);
    assertEquals(1, count(log, "Linux version"), log);
    assertTrue(log.contains("root=/dev/vda1"), log);
    // the guest's NIC got a lease on the bridge, and its init read the key the NC injected
    String fingerprint = SH.run("ssh-keygen", "-l", "-E", "md5", "-f", keyFile + ".pub").stdout().split("\\s+")[1].replace("MD5:", "");
    await(id, "the image's READY line", BOOT, quietly(() -> console(id).contains("EUCA-TEST-IMAGE-READY")));
    String ready = console(id).lines().filter(l -> l.contains("EUCA-TEST-IMAGE-READY")).findFirst().orElseThrow();
    assertTrue(ready.contains("instance-id=" + id), ready);
    assertTrue(ready.contains("ip=" + siteNet), ready);
    assertTrue(ready.contains("key-fingerprint=" + fingerprint), ready + " / " + fingerprint);
    assertTrue(ready.contains("user-data=hello from the boot test"), ready);

    NcRebootInstanceType rb = new NcRebootInstanceType();
    rb.setInstanceId(id);
    rb.setCorrelationId("rb");
    rb.setUserId("admin");
    NcRebootInstance reboot = new NcRebootInstance();
    reboot.setNcRebootInstance(rb);
    assertTrue(stub(port).ncRebootInstance(reboot).getNcRebootInstanceResponse().getStatus());
    await(id, "a second boot on the console", BOOT, quietly(() -> count(console(id), "Linux version") >= 2));

    // destroyed behind the NC's back: Teardown on the next describe, its files removed
    awaitExtant(other);
    assertEquals(3, walrus.imageGets.get(), "the second guest's images came from the cache");
    sh("virsh", "-c", "qemu:///system", "destroy", other);
    assertEquals("Teardown", describe(port, other).getStateName());
    assertFalse(Files.exists(home.resolve("instances/admin/" + other)));

    // an NC restart adopts the guest it started; another NC on this host never takes it
    nc.stop();
    nc = NodeControllerMain.start(paths, conf(port, home.resolve("instances")));
    InstanceType adopted = describe(port, id);
    assertEquals("Extant", adopted.getStateName());
    assertEquals(KEY, adopted.getKeyName());
    assertEquals(first.getLaunchTime().getTimeInMillis(), adopted.getLaunchTime().getTimeInMillis());
    int otherPort = freePort();
    NodeControllerMain.Running neighbour = NodeControllerMain.start(paths, conf(otherPort, home.resolve("instances2")));
    try {
      assertEquals(null, describe(otherPort, id));
      NcTerminateInstanceType nt = new NcTerminateInstanceType();
      nt.setInstanceId(id);
      NcTerminateInstance t = new NcTerminateInstance();
      t.setNcTerminateInstance(nt);
      AxisFault f = assertThrows(AxisFault.class, () -> stub(otherPort).ncTerminateInstance(t));
      assertTrue(f.getMessage().contains("no instance " + id), f.getMessage());
    } finally {
      neighbour.stop();
    }
    assertTrue(virshList().contains(id), "the neighbour left it running");

    Path dir = home.resolve("instances/admin/" + id);
    assertTrue(Files.exists(dir.resolve("disk")));
    NcTerminateInstanceType tt = new NcTerminateInstanceType();
    tt.setInstanceId(id);
    tt.setCorrelationId("t");
    tt.setUserId("admin");
    NcTerminateInstance term = new NcTerminateInstance();
    term.setNcTerminateInstance(tt);
    NcTerminateInstanceResponseType out = stub(port).ncTerminateInstance(term).getNcTerminateInstanceResponse();
    assertEquals("Extant", out.getPreviousState());
    assertEquals("Teardown", out.getShutdownState());
    assertFalse(virshList().contains(id));
    assertEquals(List.of(), qemuProcessesOf(id));
    assertFalse(Files.exists(dir), "the instance's files are gone");
    assertEquals("Teardown", describe(port, id).getStateName());
    assertEquals(1024, resources().getMemorySizeAvailable(), "nothing held any more");
    assertEquals(4, resources().getNumberOfCoresAvailable());
  }
}
