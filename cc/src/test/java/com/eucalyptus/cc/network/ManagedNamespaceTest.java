package com.eucalyptus.cc.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.network.config.VnetConfig;
import com.eucalyptus.cc.network.dhcp.DhcpDaemon;
import com.eucalyptus.cc.network.host.LinuxHostNetwork;
import com.eucalyptus.cc.network.host.NamespaceCommandRunner;
import com.eucalyptus.cc.network.managed.TransportBridges;
import com.eucalyptus.cc.network.state.NetworkStateStore;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.network.VnetKeys;
import com.eucalyptus.runtime.network.transport.NetworkTransport;
import com.eucalyptus.runtime.network.transport.NetworkTransports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VNET_MODE=MANAGED over vxlan with its real parts: the CC's mode with the real transport, the
 * real LinuxHostNetwork and the real dhcpd, every command inside a front-end namespace the test
 * made; a node namespace joined to it by a veth (the underlay, 10.81.0.0/24) makes the same
 * network with the same transport (what the NC does on ncStartNetwork, with the CC as its peer),
 * and a guest namespace on the node's eucabr2, with the instance's MAC, asks for its address with
 * a real DHCP client (busybox udhcpc) across the VXLAN. Checked: the router is on the CC's
 * eucabr2 (not on VNET_PRIVINTERFACE), dhcpd answers across the mesh with the group's address
 * and interface-mtu 1450, the guest reaches the router with full-size packets; a CC killed and
 * started again rebuilds without making the bridge or the VXLAN again; StopNetwork takes them
 * away; a router a MANAGED-NOVLAN CC left on VNET_PRIVINTERFACE is taken away. The machine's own
 * iptables are compared before and after. Needs root, iptables, isc-dhcp-server, busybox-static.
 */
class ManagedNamespaceTest {
  static final String FE = "cc-mgd-" + UUID.randomUUID().toString().substring(0, 8);
  static final String NODE = FE + "-n";
  static final String GUEST = FE + "-g";
  static final String MAC = "d0:0d:5a:5b:5c:5d";
  @TempDir
  static Path dir;
  static Path clientScript;
  static String rootBefore;
  static boolean made;

  static String sh(String... cmd) throws Exception {
    return ManagedNoVlanNamespaceTest.sh(cmd);
  }

  static boolean ok(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  static void skipIf(boolean condition, String reason) {
    if (condition) {
      System.out.println("ManagedNamespaceTest skipped: " + reason);
    }
    assumeTrue(!condition, reason);
  }

  @BeforeAll
  static void topology() throws Exception {
    skipIf(!"root".equals(System.getProperty("user.name")), "needs root for ip netns");
    skipIf("1".equals(System.getenv("EUCA_SKIP_NETNS_TESTS")), "EUCA_SKIP_NETNS_TESTS=1");
    for (String tool : List.of("/usr/sbin/iptables-restore", "/usr/sbin/iptables-save", "/usr/sbin/dhcpd", "/bin/busybox")) {
      skipIf(!Files.isExecutable(Path.of(tool)), tool + " is not installed (iptables, isc-dhcp-server, busybox-static)");
    }
    rootBefore = ManagedNoVlanNamespaceTest.rootIptables();
    made = true;
    for (String ns : List.of(FE, NODE, GUEST)) {
      sh("ip", "netns", "add", ns);
      sh("ip", "-n", ns, "link", "set", "lo", "up");
    }
    // the underlay between the front end and the node
    sh("ip", "-n", FE, "link", "add", "und0", "type", "veth", "peer", "name", "eth0", "netns", NODE);
    sh("ip", "-n", FE, "addr", "add", "10.81.0.1/24", "dev", "und0");
    sh("ip", "-n", FE, "link", "set", "und0", "up");
    sh("ip", "-n", NODE, "addr", "add", "10.81.0.2/24", "dev", "eth0");
    sh("ip", "-n", NODE, "link", "set", "eth0", "up");
    sh("ip", "-n", FE, "link", "add", "pub0", "type", "veth", "peer", "name", "pub1");
    sh("ip", "-n", FE, "link", "set", "pub0", "up");
    sh("ip", "-n", FE, "link", "set", "pub1", "up");
    clientScript = dir.resolve("udhcpc-event");
    Files.writeString(clientScript, "#!/bin/sh\n[ \"$1\" = bound ] && echo \"BOUND ip=$ip router=$router mtu=$mtu\"\nexit 0\n");
    Files.setPosixFilePermissions(clientScript, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (!made) {
      return;
    }
    new DhcpDaemon(new NamespaceCommandRunner(FE), "/usr/sbin/dhcpd", "root", dir.resolve("net"), "und0").stop();
    for (String ns : new String[] {GUEST, NODE, FE}) {
      ok("ip", "netns", "del", ns);
    }
    assertEquals(rootBefore, ManagedNoVlanNamespaceTest.rootIptables(), "the machine's own iptables are untouched");
  }

  static Map<String, String> conf() {
    Map<String, String> m = new HashMap<>();
    m.put("VNET_MODE", "MANAGED");
    m.put("VNET_TRANSPORT", "vxlan");
    m.put("VNET_PRIVINTERFACE", "und0");
    m.put("VNET_PUBINTERFACE", "pub0");
    m.put("VNET_DHCPDAEMON", "/usr/sbin/dhcpd");
    m.put("VNET_SUBNET", "10.129.0.0");
    m.put("VNET_NETMASK", "255.255.255.0");
    m.put("VNET_DNS", "10.129.0.1");
    m.put("VNET_ADDRSPERNET", "32");
    m.put("VNET_PUBLICIPS", "198.51.100.20-198.51.100.21");
    m.put("VNET_CLOUDIP", "172.31.99.2");
    return m;
  }

  /** The CC as NetworkModes makes it, its commands inside the front end's namespace. */
  static ManagedNetworkMode cc() {
    Map<String, String> m = conf();
    VnetConfig config = VnetConfig.parse(EucalyptusConf.of(m));
    Path net = dir.resolve("net");
    NetworkTransport transport = NetworkTransports.fromConf(VnetKeys.of(EucalyptusConf.of(m)), "VNET_PRIVINTERFACE",
        "und0", new NamespaceCommandRunner(FE));
    assertEquals(null, transport.problem());
    return new ManagedNetworkMode(config, new NetworkStateStore(net.resolve(NetworkStateStore.FILE_NAME)),
        new DhcpDaemon(new NamespaceCommandRunner(FE), config.dhcpDaemon(), config.dhcpUser(), net, "und0"),
        new LinuxHostNetwork(new NamespaceCommandRunner(FE)), net.resolve("iptables-preload"),
        new TransportBridges(transport, List.of("10.81.0.2")));
  }

  static String ask() throws Exception {
    String out = sh("ip", "netns", "exec", GUEST, "/bin/busybox", "udhcpc", "-i", "vg", "-n", "-q", "-f", "-t", "5",
        "-T", "2", "-O", "mtu", "-s", clientScript.toString());
    return out.lines().filter(l -> l.startsWith("BOUND")).findFirst().orElse("no lease: " + out);
  }

  static Set<Long> dhcpds() {
    return new DhcpDaemon(new NamespaceCommandRunner(FE), "/usr/sbin/dhcpd", "root", dir.resolve("net"), "und0")
        .runningPids();
  }

  static String ifindex(String ns, String dev) throws Exception {
    return sh("ip", "-n", ns, "-o", "link", "show", "dev", dev).split(":")[0];
  }

  @Test
  void aGuestOnANodeGetsItsAddressAndMtuFromTheCcAcrossTheVxlanMesh() throws Exception {
    // a router a MANAGED-NOVLAN CC left on the private interface
    sh("ip", "-n", FE, "addr", "add", "10.129.0.97/27", "dev", "und0");
    ManagedNetworkMode cc = cc();
    assertEquals("MANAGED", cc.name());
    cc.start();
    assertFalse(sh("ip", "-n", FE, "-4", "addr", "show", "dev", "und0").contains("10.129.0.97"), "taken away");
    cc.startNetwork("alice", "default", 2, "127.0.0.1");
    assertEquals(List.of("10.81.0.1"), cc.remoteHosts("10.81.0.2"), "the node is told the CC's own address");
    assertEquals(4789, cc.remoteHostPort());
    Instance i = cc.admit(ManagedNoVlanModeTest.instance("i-5A5B5C5D", "alice", 2, "default"));
    assertEquals("10.129.0.66", i.privateIp());
    String bridge = sh("ip", "-n", FE, "-4", "addr", "show", "dev", "eucabr2");
    assertTrue(bridge.contains("10.129.0.65/27"), "the router is on the network's bridge: " + bridge);
    assertFalse(sh("ip", "-n", FE, "-4", "addr", "show", "dev", "und0").contains("10.129.0."), "not on the underlay");
    String vx = sh("ip", "-n", FE, "-d", "link", "show", "dev", "eucavx2");
    assertTrue(vx.contains("vxlan id 2 local 10.81.0.1") && vx.contains("master eucabr2"), vx);
    assertTrue(sh("ip", "netns", "exec", FE, "bridge", "fdb", "show", "dev", "eucavx2")
        .contains("00:00:00:00:00:00 dst 10.81.0.2"), "the node is the CC's peer");
    String dhcpConf = Files.readString(dir.resolve("net/euca-dhcp.conf"));
    assertTrue(dhcpConf.contains("option interface-mtu 1450;") && !dhcpConf.contains("shared-network"), dhcpConf);

    // the node's side, as the NC makes it on ncStartNetwork (the CC's address as its peer); its guest
    NetworkTransport node = NetworkTransports.fromConf(VnetKeys.of(EucalyptusConf.of(Map.of("VNET_TRANSPORT", "vxlan"))),
        "VNET_INTERFACE", "eth0", new NamespaceCommandRunner(NODE));
    assertEquals("eucabr2", node.ensure(2, cc.remoteHosts("10.81.0.2")));
    sh("ip", "-n", NODE, "link", "add", "tap0", "type", "veth", "peer", "name", "vg", "netns", GUEST);
    sh("ip", "-n", NODE, "link", "set", "tap0", "master", "eucabr2", "up");
    sh("ip", "-n", GUEST, "link", "set", "vg", "address", MAC, "up");
    assertEquals("BOUND ip=10.129.0.66 router=10.129.0.65 mtu=1450", ask());
    sh("ip", "-n", GUEST, "link", "set", "vg", "mtu", "1450");
    sh("ip", "-n", GUEST, "addr", "add", "10.129.0.66/27", "dev", "vg");
    assertTrue(ok("ip", "netns", "exec", GUEST, "/bin/busybox", "ping", "-c", "2", "-W", "2", "-s", "1422", "10.129.0.65"),
        "the guest reaches its router on the CC with full-size packets");

    // kill -9 of the CC: nothing is torn down; a new one rebuilds without making the links again
    String br = ifindex(FE, "eucabr2");
    String vxlan = ifindex(FE, "eucavx2");
    Set<Long> before = dhcpds();
    ManagedNetworkMode restarted = cc();
    restarted.start();
    assertEquals(br, ifindex(FE, "eucabr2"), "the same bridge");
    assertEquals(vxlan, ifindex(FE, "eucavx2"), "the same VXLAN interface");
    assertTrue(sh("ip", "-n", FE, "-4", "addr", "show", "dev", "eucabr2").contains("10.129.0.65/27"));
    assertNotEquals(before, dhcpds());
    assertEquals(1, dhcpds().size());
    assertEquals("BOUND ip=10.129.0.66 router=10.129.0.65 mtu=1450", ask());

    // the last instance ends and the network stops: the CC's bridge and VXLAN are gone
    restarted.released(i);
    restarted.stopNetwork("alice", "default", 2);
    String links = sh("ip", "-n", FE, "-o", "link", "show");
    assertFalse(links.contains("eucabr2") || links.contains("eucavx2"), links);
    assertTrue(dhcpds().isEmpty());
    assertFalse(ok("ip", "netns", "exec", GUEST, "/bin/busybox", "ping", "-c", "1", "-W", "2", "10.129.0.65"));
  }
}
