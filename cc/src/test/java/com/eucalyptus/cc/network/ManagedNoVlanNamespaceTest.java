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
import com.eucalyptus.cc.network.state.NetworkStateStore;
import com.eucalyptus.runtime.config.EucalyptusConf;
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
 * MANAGED-NOVLAN with its real parts: the real LinuxHostNetwork (iptables, ip) and the real dhcpd,
 * both running inside a front-end namespace the test made (every command through
 * NamespaceCommandRunner), and a real DHCP client (busybox udhcpc) in a guest namespace whose
 * interface has the instance's MAC and joins the front end's bridge. The mode's order matters
 * here: the router address must be on the bridge before dhcpd starts, or dhcpd finds no subnet.
 * Then the CC "dies" (its objects are dropped, dhcpd and the host's state left as they are, as
 * after kill -9) and a new mode rebuilds everything from the saved state. The machine's own
 * iptables are compared before and after. Needs root, iptables, isc-dhcp-server, busybox-static.
 */
class ManagedNoVlanNamespaceTest {
  static final String FE = "cc-mnv-" + UUID.randomUUID().toString().substring(0, 8);
  static final String GUEST = FE + "-g";
  static final String MAC = "d0:0d:4a:4b:4c:4d";
  @TempDir
  static Path dir;
  static Path clientScript;
  static String rootBefore;
  static boolean made;

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
      System.out.println("ManagedNoVlanNamespaceTest skipped: " + reason);
    }
    assumeTrue(!condition, reason);
  }

  /** The machine's own iptables, without counters and comments (which change by themselves). */
  static String rootIptables() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String line : sh("iptables-save").split("\n")) {
      if (!line.startsWith("#")) {
        sb.append(line.replaceAll("\\[\\d+:\\d+\\]", "")).append('\n');
      }
    }
    return sb.toString();
  }

  @BeforeAll
  static void topology() throws Exception {
    skipIf(!"root".equals(System.getProperty("user.name")), "needs root for ip netns");
    skipIf("1".equals(System.getenv("EUCA_SKIP_NETNS_TESTS")), "EUCA_SKIP_NETNS_TESTS=1");
    for (String tool : List.of("/usr/sbin/iptables-restore", "/usr/sbin/iptables-save", "/usr/sbin/dhcpd", "/bin/busybox")) {
      skipIf(!Files.isExecutable(Path.of(tool)), tool + " is not installed (iptables, isc-dhcp-server, busybox-static)");
    }
    rootBefore = rootIptables();
    made = true;
    sh("ip", "netns", "add", FE);
    sh("ip", "netns", "add", GUEST);
    sh("ip", "-n", FE, "link", "set", "lo", "up");
    sh("ip", "-n", FE, "link", "add", "br0", "type", "bridge");
    sh("ip", "-n", FE, "link", "set", "br0", "up");
    // the public side: one end of a veth pair (no dummy module on every kernel)
    sh("ip", "-n", FE, "link", "add", "pub0", "type", "veth", "peer", "name", "pub1");
    sh("ip", "-n", FE, "link", "set", "pub0", "up");
    sh("ip", "-n", FE, "link", "set", "pub1", "up");
    sh("ip", "-n", FE, "link", "add", "vfe", "type", "veth", "peer", "name", "vg");
    sh("ip", "-n", FE, "link", "set", "vfe", "master", "br0");
    sh("ip", "-n", FE, "link", "set", "vfe", "up");
    sh("ip", "-n", FE, "link", "set", "vg", "netns", GUEST);
    sh("ip", "-n", GUEST, "link", "set", "vg", "address", MAC);
    sh("ip", "-n", GUEST, "link", "set", "vg", "up");
    clientScript = dir.resolve("udhcpc-event");
    Files.writeString(clientScript, "#!/bin/sh\n[ \"$1\" = bound ] && echo \"BOUND ip=$ip router=$router\"\nexit 0\n");
    Files.setPosixFilePermissions(clientScript, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (!made) {
      return;
    }
    new DhcpDaemon(new NamespaceCommandRunner(FE), "/usr/sbin/dhcpd", "root", dir.resolve("net"), "br0").stop();
    for (String ns : new String[] {GUEST, FE}) {
      try {
        sh("ip", "netns", "del", ns);
      } catch (Exception e) {
        // not made
      }
    }
    assertEquals(rootBefore, rootIptables(), "the machine's own iptables are untouched");
  }

  static ManagedNetworkMode mode() {
    Map<String, String> m = new HashMap<>();
    m.put("VNET_MODE", "MANAGED-NOVLAN");
    m.put("VNET_PRIVINTERFACE", "br0");
    m.put("VNET_PUBINTERFACE", "pub0");
    m.put("VNET_DHCPDAEMON", "/usr/sbin/dhcpd");
    m.put("VNET_SUBNET", "10.128.0.0");
    m.put("VNET_NETMASK", "255.255.255.0");
    m.put("VNET_DNS", "10.128.0.1");
    m.put("VNET_ADDRSPERNET", "32");
    m.put("VNET_PUBLICIPS", "198.51.100.10-198.51.100.11");
    m.put("VNET_CLOUDIP", "172.31.99.2");
    VnetConfig config = VnetConfig.parse(EucalyptusConf.of(m));
    Path net = dir.resolve("net");
    return new ManagedNetworkMode(config, new NetworkStateStore(net.resolve(NetworkStateStore.FILE_NAME)),
        new DhcpDaemon(new NamespaceCommandRunner(FE), config.dhcpDaemon(), config.dhcpUser(), net, "br0"),
        new LinuxHostNetwork(new NamespaceCommandRunner(FE)), net.resolve("iptables-preload"));
  }

  static String ask() throws Exception {
    String out = sh("ip", "netns", "exec", GUEST, "/bin/busybox", "udhcpc", "-i", "vg", "-n", "-q", "-f", "-t", "5",
        "-T", "2", "-s", clientScript.toString());
    return out.lines().filter(l -> l.startsWith("BOUND")).findFirst().orElse("no lease: " + out);
  }

  static Set<Long> dhcpds() {
    return new DhcpDaemon(new NamespaceCommandRunner(FE), "/usr/sbin/dhcpd", "root", dir.resolve("net"), "br0")
        .runningPids();
  }

  @Test
  void aGuestGetsItsGroupsAddressAndKeepsItAcrossAKilledCc() throws Exception {
    ManagedNetworkMode cc = mode();
    cc.start();
    assertTrue(dhcpds().isEmpty(), "nothing to serve yet: no dhcpd");
    cc.startNetwork("alice", "default", 2, "127.0.0.1");
    Instance i = cc.admit(ManagedNoVlanModeTest.instance("i-4A4B4C4D", "alice", 2, "default"));
    assertEquals(MAC, i.privateMac());
    assertEquals("10.128.0.66", i.privateIp());
    cc.assignAddress("198.51.100.11", i.privateIp());
    String br0 = sh("ip", "-n", FE, "-4", "addr", "show", "dev", "br0");
    assertTrue(br0.contains("10.128.0.65/27"), "the router is on the bridge: " + br0);
    assertTrue(sh("ip", "-n", FE, "-4", "addr", "show", "dev", "pub0").contains("198.51.100.11/32"));
    assertEquals("BOUND ip=10.128.0.66 router=10.128.0.65", ask());
    Set<Long> before = dhcpds();
    assertEquals(1, before.size());

    // kill -9 of the CC: nothing is torn down; a new CC rebuilds from the saved state
    ManagedNetworkMode restarted = mode();
    restarted.start();
    Set<Long> after = dhcpds();
    assertEquals(1, after.size(), "one dhcpd, the restarted CC's");
    assertNotEquals(before, after);
    assertEquals("BOUND ip=10.128.0.66 router=10.128.0.65", ask());
    assertTrue(sh("ip", "-n", FE, "-4", "addr", "show", "dev", "pub0").contains("198.51.100.11/32"));
    assertTrue(sh("ip", "netns", "exec", FE, "iptables-save", "-t", "nat").contains("198.51.100.11"));

    // the instance ends: no address left to serve, no dhcpd; its public address goes
    restarted.released(i);
    assertTrue(dhcpds().isEmpty());
    assertFalse(sh("ip", "-n", FE, "-4", "addr", "show", "dev", "pub0").contains("198.51.100.11/32"));
    restarted.stopNetwork("alice", "default", 2);
    assertFalse(sh("ip", "-n", FE, "-4", "addr", "show", "dev", "br0").contains("10.128.0.65"));
  }
}
