package com.eucalyptus.nc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.eucalyptus.nc.images.WalrusImageStandIn;
import com.eucalyptus.nc.network.NamespaceCommands;
import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.wsdl.nc.EucalyptusNCStub;
import com.eucalyptus.wsdl.nc.types.InstanceType;
import com.eucalyptus.wsdl.nc.types.NcDescribeInstances;
import com.eucalyptus.wsdl.nc.types.NcDescribeInstancesType;
import com.eucalyptus.wsdl.nc.types.NcRunInstance;
import com.eucalyptus.wsdl.nc.types.NcRunInstanceType;
import com.eucalyptus.wsdl.nc.types.NcStartNetwork;
import com.eucalyptus.wsdl.nc.types.NcStartNetworkType;
import com.eucalyptus.wsdl.nc.types.NcStopNetwork;
import com.eucalyptus.wsdl.nc.types.NcStopNetworkType;
import com.eucalyptus.wsdl.nc.types.NcTerminateInstance;
import com.eucalyptus.wsdl.nc.types.NcTerminateInstanceType;
import com.eucalyptus.wsdl.nc.types.VirtualMachineType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.axis2.AxisFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/**
 * The NC in VNET_MODE=MANAGED (vxlan) as a whole, over SOAP: the hypervisor is libvirt's test
 * driver (test:///default: domains kept, nothing run), the network side is real, its commands
 * run in a namespace standing for the node (eth0 10.82.0.1 on a veth). A guest's domain XML joins
 * its group's bridge eucabr<vlan> (made by ncStartNetwork, or by the launch when ncRunInstance
 * comes first); ncStopNetwork refuses while a guest is on the network; a restarted NC ensures the
 * networks of its running guests again (a link lost meanwhile comes back with the recorded
 * peers); after the last terminate ncStopNetwork removes the bridge. Needs root and ip netns.
 */
class ManagedNodeControllerTest {
  static final String NODE = "ncmc" + UUID.randomUUID().toString().substring(0, 6);
  static final String OTHER = NODE + "-o";
  static boolean made;
  @TempDir
  static Path home;
  static EucaPaths paths;
  static WalrusImageStandIn walrus;
  static URI image;
  static URI kernel;

  static String sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
    }
    return out;
  }

  static void skipIf(boolean condition, String reason) {
    if (condition) {
      System.out.println("ManagedNodeControllerTest skipped: " + reason);
    }
    assumeTrue(!condition, reason);
  }

  @BeforeAll
  static void nodeAndImages() throws Exception {
    skipIf(!"root".equals(System.getProperty("user.name")), "needs root for ip netns");
    skipIf("1".equals(System.getenv("EUCA_SKIP_NETNS_TESTS")), "EUCA_SKIP_NETNS_TESTS=1");
    made = true;
    sh("ip", "netns", "add", NODE);
    sh("ip", "netns", "add", OTHER);
    sh("ip", "-n", NODE, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", OTHER);
    sh("ip", "-n", NODE, "addr", "add", "10.82.0.1/24", "dev", "eth0");
    sh("ip", "-n", NODE, "link", "set", "eth0", "up");
    paths = EucaPaths.at(home);
    paths.ensureVarDirs();
    CertificateAuthority.Issued node = CertificateAuthority.newSelfSigned("CN=node, OU=Eucalyptus, O=Cloud, C=US");
    Pem.writeCertificate(paths.keysDir().resolve("node-cert.pem"), node.certificate());
    Pem.writePrivateKey(paths.keysDir().resolve("node-pk.pem"), node.keyPair().getPrivate());
    walrus = new WalrusImageStandIn(node.certificate());
    Path root = home.resolve("root.img");
    assertEquals(0, new CommandRunner().run("mke2fs", "-q", "-F", "-t", "ext4", root.toString(), "8M").exitCode());
    Path k = home.resolve("vmlinuz");
    Files.writeString(k, "not really a kernel: the test driver runs nothing");
    image = walrus.publish("img", "root", root);
    kernel = walrus.publish("img", "kernel", k);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (walrus != null) {
      walrus.close();
    }
    if (made) {
      new ProcessBuilder("ip", "netns", "del", NODE).start().waitFor();
      new ProcessBuilder("ip", "netns", "del", OTHER).start().waitFor();
    }
  }

  static NodeControllerMain.Running start(int port) throws Exception {
    Map<String, String> m = new HashMap<>(Map.of("NC_PORT", String.valueOf(port), "HYPERVISOR", "qemu",
        "LIBVIRT_URI", "test:///default", "INSTANCE_PATH", home.resolve("instances").toString(), "ENABLE_WS_SECURITY", "N",
        "SWAP_SIZE", "4"));
    m.putAll(Map.of("VNET_MODE", "MANAGED", "VNET_TRANSPORT", "vxlan", "VNET_INTERFACE", "eth0"));
    return NodeControllerMain.start(paths, EucalyptusConf.of(m), new NamespaceCommands(NODE));
  }

  static EucalyptusNCStub stub(int port) throws Exception {
    return SoapClients.secure(new EucalyptusNCStub(SoapClients.clientContext(),
        "http://127.0.0.1:" + port + "/axis2/services/EucalyptusNC"), null, Duration.ofSeconds(30));
  }

  static String startNetwork(EucalyptusNCStub nc, int vlan, String... remoteHosts) throws Exception {
    NcStartNetworkType t = new NcStartNetworkType();
    t.setUserId("eucalyptus");
    t.setVlan(vlan);
    t.setRemoteHosts(remoteHosts);
    t.setRemoteHostPort(4789);
    NcStartNetwork r = new NcStartNetwork();
    r.setNcStartNetwork(t);
    return nc.ncStartNetwork(r).getNcStartNetworkResponse().getNetworkStatus();
  }

  static String stopNetwork(EucalyptusNCStub nc, int vlan) throws Exception {
    NcStopNetworkType t = new NcStopNetworkType();
    t.setUserId("eucalyptus");
    t.setVlan(vlan);
    NcStopNetwork r = new NcStopNetwork();
    r.setNcStopNetwork(t);
    return nc.ncStopNetwork(r).getNcStopNetworkResponse().getNetworkStatus();
  }

  static void run(EucalyptusNCStub nc, String id, int vlan) throws Exception {
    NcRunInstanceType t = new NcRunInstanceType();
    t.setInstanceId(id);
    t.setReservationId("r-00000001");
    t.setUserId("admin");
    t.setImageId("emi-00000001");
    t.setImageURL(image.toString());
    t.setKernelId("eki-00000001");
    t.setKernelURL(kernel.toString());
    VirtualMachineType vm = new VirtualMachineType();
    vm.setMemory(64);
    vm.setCores(1);
    vm.setDisk(1);
    t.setInstanceType(vm);
    t.setPrivateMacAddress("d0:0d:" + id.substring(2, 4) + ":" + id.substring(4, 6) + ":" + id.substring(6, 8) + ":" + id.substring(8, 10));
    t.setPublicMacAddress(t.getPrivateMacAddress());
    t.setVlan(vlan);
    t.setLaunchIndex("0");
    t.setGroupNames(new String[] {"default"});
    NcRunInstance r = new NcRunInstance();
    r.setNcRunInstance(t);
    nc.ncRunInstance(r);
  }

  static String state(EucalyptusNCStub nc, String id) throws Exception {
    NcDescribeInstancesType t = new NcDescribeInstancesType();
    t.setInstanceIds(new String[] {id});
    NcDescribeInstances r = new NcDescribeInstances();
    r.setNcDescribeInstances(t);
    InstanceType[] out = nc.ncDescribeInstances(r).getNcDescribeInstancesResponse().getInstances();
    return out == null || out.length == 0 ? "none" : out[0].getStateName();
  }

  static void awaitExtant(EucalyptusNCStub nc, String id) throws Exception {
    for (int i = 0; i < 300; i++) {
      String s = state(nc, id);
      if (s.equals("Extant")) {
        return;
      }
      assertFalse(s.equals("Teardown"), id + " failed to start (nc.log says why)");
      Thread.sleep(100);
    }
    throw new AssertionError(id + " never became Extant");
  }

  static void terminate(EucalyptusNCStub nc, String id) throws Exception {
    NcTerminateInstanceType t = new NcTerminateInstanceType();
    t.setInstanceId(id);
    NcTerminateInstance r = new NcTerminateInstance();
    r.setNcTerminateInstance(t);
    nc.ncTerminateInstance(r);
  }

  /** The domain's interface as libvirt holds it. */
  static String domainXml(String id) throws Exception {
    Connect c = new Connect("test:///default");
    try {
      return c.domainLookupByName(id).getXMLDesc(0);
    } finally {
      c.close();
    }
  }

  static String links() throws Exception {
    return sh("ip", "-n", NODE, "-o", "-d", "link", "show");
  }

  static String mesh(String vx) throws Exception {
    return sh("ip", "netns", "exec", NODE, "bridge", "fdb", "show", "dev", vx);
  }

  @Test
  void theDaemonRefusesTheVlanTransportOnAKernelWithout8021qNamingVxlan() throws Exception {
    // a kernel that has the module (loaded or not) would pass the check; nothing then to see here
    boolean has8021q = Files.isDirectory(Path.of("/proc/net/vlan")) || Files.isDirectory(Path.of("/sys/module/8021q"))
        || new CommandRunner().run("modinfo", "8021q").succeeded();
    skipIf(has8021q, "this kernel has 8021q: VNET_TRANSPORT=\"vlan\" is usable here");
    Path h = Files.createTempDirectory(home, "daemon");
    Files.createDirectories(h.resolve("etc/eucalyptus"));
    // lo: an interface every host has; VNET_TRANSPORT unset is vlan, 1.5.2's
    Files.writeString(h.resolve("etc/eucalyptus/eucalyptus.conf"), "NC_PORT=\"" + NodeControllerTest.freePort() + "\"\n"
        + "LIBVIRT_URI=\"test:///default\"\nINSTANCE_PATH=\"" + h.resolve("inst") + "\"\nVNET_MODE=\"MANAGED\"\n"
        + "VNET_INTERFACE=\"lo\"\n");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), "-Deuca.home=" + h,
        NodeControllerMain.class.getName()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the NC gave up in time");
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(1, p.exitValue(), out);
    assertTrue(out.contains("eucalyptus-nc: eucalyptus.conf: VNET_TRANSPORT=\"vlan\" needs the kernel's 802.1q vlan support")
        && out.contains("set VNET_TRANSPORT=\"vxlan\""), out);
    String log = Files.readString(h.resolve("var/log/eucalyptus/nc.log"));
    assertTrue(log.contains("FATAL") && log.contains("VNET_TRANSPORT=\"vxlan\""), log);
    assertFalse(Files.exists(h.resolve("inst")), "stopped before anything was set up");
  }

  @Test
  void managedGuestsJoinTheirGroupsBridgeWhichStaysWhileTheyRunAndComesBackAfterARestart() throws Exception {
    int port = NodeControllerTest.freePort();
    NodeControllerMain.Running nc = start(port);
    EucalyptusNCStub stub = stub(port);
    try {
      assertEquals("SUCCESS", startNetwork(stub, 21, "10.82.0.9", "10.82.0.1", "10.82.0.3"));
      assertTrue(links().contains("eucabr21"), links());
      run(stub, "i-0000E021", 21);
      awaitExtant(stub, "i-0000E021");
      String xml = domainXml("i-0000E021");
      assertTrue(xml.contains("<source bridge='eucabr21'/>") && xml.contains("d0:0d:00:00:e0:21"), xml);

      // RunInstances before StartNetwork reached this node: the launch makes the bridge
      run(stub, "i-0000E022", 22);
      awaitExtant(stub, "i-0000E022");
      assertTrue(domainXml("i-0000E022").contains("<source bridge='eucabr22'/>"));
      assertTrue(links().contains("eucabr22"), links());

      AxisFault noVlan = assertThrows(AxisFault.class, () -> run(stub, "i-0000E023", 0));
      assertTrue(noVlan.getMessage().contains("needs the network index (vlan)"), noVlan.getMessage());

      String kept = stopNetwork(stub, 21);
      assertEquals("FAIL: network 21 is kept on this node: instance i-0000E021 still runs on eucabr21", kept);
      assertTrue(links().contains("eucabr21"), links());
    } finally {
      nc.stop();
    }

    // down (the guests run on), and the network's VXLAN link lost meanwhile
    sh("ip", "-n", NODE, "link", "del", "eucavx21");
    nc = start(port);
    EucalyptusNCStub again = stub(port);
    try {
      assertEquals("Extant", state(again, "i-0000E021"), "adopted");
      assertTrue(links().matches("(?s).*eucavx21.*master eucabr21.*"), "ensured again at start: " + links());
      String entries = mesh("eucavx21");
      assertTrue(entries.contains("00:00:00:00:00:00 dst 10.82.0.9") && entries.contains("00:00:00:00:00:00 dst 10.82.0.3")
          && !entries.contains("dst 10.82.0.1 "), "with the peers ncStartNetwork gave: " + entries);
      assertTrue(links().contains("eucabr22"), "the other guest's network too: " + links());

      terminate(again, "i-0000E021");
      assertEquals("SUCCESS", stopNetwork(again, 21), "the last guest of network 21 is gone");
      assertFalse(links().contains("eucabr21") || links().contains("eucavx21"), links());
      assertTrue(links().contains("eucabr22"), "another network is not touched");
      terminate(again, "i-0000E022");
      assertEquals("SUCCESS", stopNetwork(again, 22));
      assertFalse(links().contains("eucabr22"), links());
    } finally {
      nc.stop();
    }
  }
}
