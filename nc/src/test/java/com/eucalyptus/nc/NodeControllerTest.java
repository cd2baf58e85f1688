package com.eucalyptus.nc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.nc.hypervisor.HypervisorException;
import com.eucalyptus.nc.hypervisor.libvirt.LibvirtHypervisor;
import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.runtime.soap.WsSecurityKeys;
import com.eucalyptus.wsdl.nc.EucalyptusNCStub;
import com.eucalyptus.wsdl.nc.types.NcDescribeResource;
import com.eucalyptus.wsdl.nc.types.NcDescribeResourceResponseType;
import com.eucalyptus.wsdl.nc.types.NcDescribeResourceType;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.axis2.AxisFault;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The NC daemon as a whole: conf keys, signed EucalyptusNC, refusing to start without libvirt. */
class NodeControllerTest {
  static Path home;
  static EucaPaths paths;

  @BeforeAll
  static void keys() throws Exception {
    home = Files.createTempDirectory("euca-nc-test");
    paths = EucaPaths.at(home);
    paths.ensureVarDirs();
    CertificateAuthority.Issued cloud = CertificateAuthority.newSelfSigned("CN=cloud, OU=Eucalyptus, O=Cloud, C=US");
    CertificateAuthority ca = new CertificateAuthority(cloud.certificate(), cloud.keyPair().getPrivate());
    Pem.writeCertificate(paths.keysDir().resolve("cloud-cert.pem"), cloud.certificate());
    for (String who : new String[] {"cluster", "node"}) {
      CertificateAuthority.Issued i = ca.issue("CN=" + who + ", OU=Eucalyptus, O=Cloud, C=US");
      Pem.writeCertificate(paths.keysDir().resolve(who + "-cert.pem"), i.certificate());
      Pem.writePrivateKey(paths.keysDir().resolve(who + "-pk.pem"), i.keyPair().getPrivate());
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static EucalyptusConf conf(int port, String... more) {
    Map<String, String> m = new HashMap<>(Map.of("NC_PORT", String.valueOf(port), "HYPERVISOR", "kvm",
        "LIBVIRT_URI", "test:///default", "INSTANCE_PATH", home.resolve("instances").toString(), "ENABLE_WS_SECURITY", "Y"));
    for (int i = 0; i < more.length; i += 2) {
      m.put(more[i], more[i + 1]);
    }
    return EucalyptusConf.of(m);
  }

  static NcDescribeResourceResponseType describe(int port, WsSecurityKeys keys) throws Exception {
    NcDescribeResourceType t = new NcDescribeResourceType();
    t.setCorrelationId("nc-test");
    t.setUserId("eucalyptus");
    NcDescribeResource r = new NcDescribeResource();
    r.setNcDescribeResource(t);
    EucalyptusNCStub stub = SoapClients.secure(new EucalyptusNCStub(SoapClients.clientContext(),
        "http://127.0.0.1:" + port + "/axis2/services/EucalyptusNC"), keys, Duration.ofSeconds(30));
    NcDescribeResourceResponseType out = stub.ncDescribeResource(r).getNcDescribeResourceResponse();
    if (keys != null) {
      assertEquals(Pem.readCertificate(paths.keysDir().resolve("node-cert.pem")), SoapClients.lastReplySigner(stub));
    }
    return out;
  }

  static WsSecurityKeys clusterKeys() throws IOException {
    return WsSecurityKeys.load(paths.keysDir(), "cluster-pk.pem", "cluster-cert.pem", "node-cert.pem");
  }

  @Test
  void maxMemMaxCoresAndMaxDiskReplaceWhatIsDetected() throws Exception {
    int port = freePort();
    NodeControllerMain.Running nc = NodeControllerMain.start(paths, conf(port, "MAX_MEM", "300", "MAX_CORES", "3", "MAX_DISK", "7"));
    try {
      NcDescribeResourceResponseType r = describe(port, clusterKeys());
      assertTrue(r.get_return());
      assertEquals(300, r.getMemorySizeMax());
      assertEquals(300, r.getMemorySizeAvailable());
      assertEquals(3, r.getNumberOfCoresMax());
      assertEquals(3, r.getNumberOfCoresAvailable());
      assertEquals(7, r.getDiskSizeMax());
      assertEquals(7, r.getDiskSizeAvailable());
      assertEquals("nc-test", r.getCorrelationId());
    } finally {
      nc.stop();
    }
  }

  @Test
  void withoutMaxSettingsTheHypervisorsNumbersAreReported() throws Exception {
    int port = freePort();
    NodeControllerMain.Running nc = NodeControllerMain.start(paths, conf(port, "MAX_MEM", "", "MAX_CORES", ""));
    try (LibvirtHypervisor hv = LibvirtHypervisor.connect("test:///default")) {
      NcDescribeResourceResponseType r = describe(port, clusterKeys());
      assertEquals(hv.hostInfo().memoryMb(), r.getMemorySizeMax());
      assertEquals(hv.hostInfo().cores(), r.getNumberOfCoresMax());
      assertTrue(r.getDiskSizeMax() >= 0);
      AxisFault f = assertThrows(AxisFault.class, () -> describe(port, null));
      assertTrue(f.getMessage().contains("Missing wsse:Security header"), f.getMessage());
    } finally {
      nc.stop();
    }
  }

  @Test
  void withWsSecurityOffPlainCallsAreAnswered() throws Exception {
    int port = freePort();
    NodeControllerMain.Running nc = NodeControllerMain.start(paths, conf(port, "ENABLE_WS_SECURITY", "N", "MAX_CORES", "2"));
    try {
      assertEquals(2, describe(port, null).getNumberOfCoresMax());
    } finally {
      nc.stop();
    }
  }

  /** Log events of NodeControllerMain while {@code run} runs (a plain appender, in this JVM). */
  static List<String> warningsDuring(Check run) throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    org.apache.logging.log4j.core.Logger logger =
        (org.apache.logging.log4j.core.Logger) org.apache.logging.log4j.LogManager.getLogger(NodeControllerMain.class);
    org.apache.logging.log4j.core.appender.AbstractAppender appender =
        new org.apache.logging.log4j.core.appender.AbstractAppender("capture", null, null, true,
            org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
          @Override
          public void append(org.apache.logging.log4j.core.LogEvent e) {
            if (e.getLevel().isMoreSpecificThan(org.apache.logging.log4j.Level.WARN)) {
              seen.add(e.getMessage().getFormattedMessage());
            }
          }
        };
    appender.start();
    logger.addAppender(appender);
    try {
      run.run();
    } finally {
      logger.removeAppender(appender);
      appender.stop();
    }
    return seen;
  }

  interface Check {
    void run() throws Exception;
  }

  @Test
  void anInstancePathQemuCannotReachIsNamedAtStart() throws Exception {
    // createTempDirectory makes a 0700 folder: QEMU (libvirt-qemu) could not pass it
    Path locked = Files.createTempDirectory("euca-nc-locked");
    List<String> warned = warningsDuring(() -> NodeControllerMain.start(paths, conf(freePort(), "HYPERVISOR", "qemu",
        "INSTANCE_PATH", locked.resolve("instances").toString())).stop());
    assertTrue(warned.stream().anyMatch(w -> w.contains(locked + " is not traversable by other users (mode rwx------)")), warned.toString());
    Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> open = warningsDuring(() -> NodeControllerMain.start(paths, conf(freePort(), "HYPERVISOR", "qemu",
        "INSTANCE_PATH", locked.resolve("instances").toString())).stop());
    assertTrue(open.stream().noneMatch(w -> w.contains("not traversable")), open.toString());
  }

  @Test
  void unreachableLibvirtStopsTheStart() {
    HypervisorException e = assertThrows(HypervisorException.class, () -> NodeControllerMain.start(paths,
        conf(0, "LIBVIRT_URI", "qemu+unix:///system?socket=/nonexistent/libvirt-sock")));
    assertTrue(e.getMessage().startsWith("Failed to connect to hypervisor"), e.getMessage());
  }

  @Test
  void theDaemonExitsNonZeroWithAClearMessageWhenLibvirtIsUnreachable() throws Exception {
    Path h = Files.createTempDirectory("euca-nc-nolibvirt");
    Files.createDirectories(h.resolve("etc/eucalyptus"));
    Files.writeString(h.resolve("etc/eucalyptus/eucalyptus.conf"), "NC_PORT=\"" + freePort() + "\"\nHYPERVISOR=\"kvm\"\n"
        + "LIBVIRT_URI=\"qemu+unix:///system?socket=/nonexistent/libvirt-sock\"\nINSTANCE_PATH=\"" + h.resolve("inst") + "\"\n");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        "-Deuca.home=" + h, NodeControllerMain.class.getName()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the NC gave up in time");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertNotEquals(0, p.exitValue(), out);
    assertTrue(out.contains("Failed to connect to hypervisor"), out);
    String log = Files.readString(h.resolve("var/log/eucalyptus/nc.log"));
    assertTrue(log.contains("FATAL") && log.contains("Failed to connect to hypervisor"), log);
  }

  @Test
  void realLibvirtdThroughQemuSystem() throws Exception {
    Path socket = Path.of("/var/run/libvirt/libvirt-sock");
    if (!Files.exists(socket)) {
      System.out.println("SKIPPED realLibvirtdThroughQemuSystem: libvirtd is not running (no " + socket + ")");
      Assumptions.abort("libvirtd is not running (no " + socket + ")");
    }
    int port = freePort();
    NodeControllerMain.Running nc = NodeControllerMain.start(paths, conf(port, "LIBVIRT_URI", "", "HYPERVISOR", "kvm"));
    try {
      NcDescribeResourceResponseType r = describe(port, clusterKeys());
      // the reference: libvirt's own command-line client (/proc/meminfo may not be what libvirtd sees)
      Process virsh = new ProcessBuilder("virsh", "-c", "qemu:///system", "nodeinfo").redirectErrorStream(true).start();
      String info = new String(virsh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, virsh.waitFor(), info);
      long kib = Long.parseLong(info.replaceAll("(?s).*Memory size:\\s*(\\d+) KiB.*", "$1"));
      int cpus = Integer.parseInt(info.replaceAll("(?s).*\\nCPU\\(s\\):\\s*(\\d+).*", "$1"));
      assertEquals(kib / 1024, r.getMemorySizeMax(), "memory as virsh nodeinfo reports it");
      assertEquals(cpus, r.getNumberOfCoresMax(), "CPUs as virsh nodeinfo reports them");
      assertEquals(List.of(r.getMemorySizeMax(), r.getNumberOfCoresMax()),
          List.of(r.getMemorySizeAvailable(), r.getNumberOfCoresAvailable()), "no instances: all available");
    } finally {
      nc.stop();
    }
  }

  @Test
  void refusedInstanceRequestsAreFaultsWithTheReasonAndTheNcGoesOn() throws Exception {
    int port = freePort();
    NodeControllerMain.Running nc = NodeControllerMain.start(paths, conf(port, "MAX_MEM", "100", "MAX_CORES", "2", "MAX_DISK", "5"));
    try {
      WsSecurityKeys keys = clusterKeys();
      EucalyptusNCStub stub = SoapClients.secure(new EucalyptusNCStub(SoapClients.clientContext(),
          "http://127.0.0.1:" + port + "/axis2/services/EucalyptusNC"), keys, Duration.ofSeconds(30));
      com.eucalyptus.wsdl.nc.types.NcRunInstanceType t = new com.eucalyptus.wsdl.nc.types.NcRunInstanceType();
      t.setInstanceId("i-00000001");
      t.setUserId("admin");
      t.setImageId("emi-00000001");
      t.setKernelId("eki-00000001");
      t.setImageURL("http://127.0.0.1:1/services/Walrus/b/i.manifest.xml");
      t.setKernelURL("http://127.0.0.1:1/services/Walrus/b/k.manifest.xml");
      com.eucalyptus.wsdl.nc.types.VirtualMachineType vm = new com.eucalyptus.wsdl.nc.types.VirtualMachineType();
      vm.setMemory(200);
      vm.setCores(1);
      vm.setDisk(1);
      t.setInstanceType(vm);
      com.eucalyptus.wsdl.nc.types.NcRunInstance run = new com.eucalyptus.wsdl.nc.types.NcRunInstance();
      run.setNcRunInstance(t);
      AxisFault tooBig = assertThrows(AxisFault.class, () -> stub.ncRunInstance(run));
      assertTrue(tooBig.getMessage().contains("not enough resources") && tooBig.getMessage().contains("asked 200 MB"), tooBig.getMessage());
      vm.setMemory(50);
      t.setImageURL("file:///etc/passwd");
      AxisFault badUrl = assertThrows(AxisFault.class, () -> stub.ncRunInstance(run));
      assertTrue(badUrl.getMessage().contains("imageURL") && badUrl.getMessage().contains("not an http(s) URL"), badUrl.getMessage());
      com.eucalyptus.wsdl.nc.types.NcTerminateInstanceType tt = new com.eucalyptus.wsdl.nc.types.NcTerminateInstanceType();
      tt.setInstanceId("i-DEADBEEF");
      com.eucalyptus.wsdl.nc.types.NcTerminateInstance term = new com.eucalyptus.wsdl.nc.types.NcTerminateInstance();
      term.setNcTerminateInstance(tt);
      AxisFault unknown = assertThrows(AxisFault.class, () -> stub.ncTerminateInstance(term));
      assertTrue(unknown.getMessage().contains("no instance i-DEADBEEF"), unknown.getMessage());
      assertEquals(100, describe(port, keys).getMemorySizeAvailable(), "still answering, nothing held");
    } finally {
      nc.stop();
    }
  }
}
