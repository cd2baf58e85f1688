package com.eucalyptus.nc.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.config.EucalyptusConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NC's side of VNET_MODE=MANAGED for real: two nodes (network namespaces on one underlay, a
 * bridge in a third namespace, 10.81.0.1 and .2) each with the NodeNetwork the NC builds from
 * eucalyptus.conf (VNET_TRANSPORT=vxlan, VNET_INTERFACE=eth0, VNET_LOCALIP left to default), every
 * command run inside its node's namespace. ncStartNetwork's remoteHosts name both nodes and a CC
 * (10.81.0.9); "guests" are namespaces with a veth whose other end is on the node's eucabr<vlan>,
 * as libvirt puts a guest's tap. Checked: the bridge, the VXLAN and the fdb entries the node
 * makes (its own address left out); guests on the two nodes reach each other; ncStopNetwork keeps
 * a network a guest is on; a restarted NC (a new NodeNetwork, only the peers file left, as after
 * kill -9) ensures the running guests' network again from the file (a VXLAN link deleted behind
 * its back comes back with its peers) and, while guests ping each other, loses not one ping; the stop removes everything. And the vlan transport on a kernel without
 * 8021q stops the NC naming VNET_TRANSPORT="vxlan". Needs root, ip netns, busybox-static.
 */
class NodeNetworkNamespaceTest {
  static final String TAG = "ncm" + UUID.randomUUID().toString().substring(0, 6);
  static final String UNDERLAY = TAG + "-u";
  static final String CC_IP = "10.81.0.9";
  static final List<String> made = new ArrayList<>();
  @TempDir
  static Path dir;

  static String sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
    }
    return out;
  }

  static boolean ok(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  static void skipIf(boolean condition, String reason) {
    if (condition) {
      System.out.println("NodeNetworkNamespaceTest skipped: " + reason);
    }
    assumeTrue(!condition, reason);
  }

  static String node(int k) {
    return TAG + "-n" + k;
  }

  static String nodeIp(int k) {
    return "10.81.0." + k;
  }

  static void netns(String name) throws Exception {
    sh("ip", "netns", "add", name);
    made.add(name);
    sh("ip", "-n", name, "link", "set", "lo", "up");
  }

  @BeforeAll
  static void underlay() throws Exception {
    skipIf(!"root".equals(System.getProperty("user.name")), "needs root for ip netns");
    skipIf("1".equals(System.getenv("EUCA_SKIP_NETNS_TESTS")), "EUCA_SKIP_NETNS_TESTS=1");
    skipIf(!ok("/bin/busybox", "true"), "/bin/busybox is not installed (busybox-static): the guests' ping");
    netns(UNDERLAY);
    sh("ip", "-n", UNDERLAY, "link", "add", "sw", "type", "bridge");
    sh("ip", "-n", UNDERLAY, "link", "set", "sw", "up");
    for (int k = 1; k <= 2; k++) {
      netns(node(k));
      sh("ip", "-n", node(k), "link", "add", "eth0", "type", "veth", "peer", "name", "p" + k, "netns", UNDERLAY);
      sh("ip", "-n", UNDERLAY, "link", "set", "p" + k, "master", "sw", "up");
      sh("ip", "-n", node(k), "addr", "add", nodeIp(k) + "/24", "dev", "eth0");
      sh("ip", "-n", node(k), "link", "set", "eth0", "up");
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    for (String ns : made) {
      ok("ip", "netns", "del", ns);
    }
  }

  static Path peersFile(int k) {
    return dir.resolve("node" + k).resolve(NetworkPeersFile.FILE_NAME);
  }

  /** What NodeControllerMain builds at start, its commands run in node k's namespace. */
  static NodeNetwork nodeNetwork(int k, String... more) {
    Map<String, String> conf = new HashMap<>(Map.of("VNET_MODE", "MANAGED", "VNET_TRANSPORT", "vxlan", "VNET_INTERFACE", "eth0"));
    for (int i = 0; i < more.length; i += 2) {
      conf.put(more[i], more[i + 1]);
    }
    return NodeNetwork.fromConf(EucalyptusConf.of(conf), peersFile(k), new NamespaceCommands(node(k)));
  }

  /** A guest namespace whose eth0 (MTU 1450) is a veth with its other end on {@code bridge} of node k. */
  static String guestOn(int k, String bridge, String address) throws Exception {
    String name = TAG + "-g" + k;
    netns(name);
    sh("ip", "-n", name, "link", "add", "eth0", "mtu", "1450", "type", "veth", "peer", "name", "vnet" + k, "netns", node(k));
    sh("ip", "-n", node(k), "link", "set", "vnet" + k, "master", bridge, "up");
    sh("ip", "-n", name, "addr", "add", address + "/24", "dev", "eth0");
    sh("ip", "-n", name, "link", "set", "eth0", "up");
    return name;
  }

  static boolean ping(String from, String to) throws Exception {
    return ok("ip", "netns", "exec", from, "/bin/busybox", "ping", "-c", "2", "-W", "2", to);
  }

  static String links(int k) throws Exception {
    return sh("ip", "-n", node(k), "-o", "-d", "link", "show");
  }

  static String meshOf(int k, String vx) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String line : sh("ip", "netns", "exec", node(k), "bridge", "fdb", "show", "dev", vx).split("\n")) {
      if (line.startsWith("00:00:00:00:00:00 ")) {
        sb.append(line.replaceAll(" self.*", "")).append('\n');
      }
    }
    return sb.toString();
  }

  @Test
  void twoNodesCarryAGroupsNetworkAndAKilledNcRebuildsItWithoutCuttingTheGuests() throws Exception {
    List<String> remoteHosts = List.of(CC_IP, nodeIp(1), nodeIp(2));
    NodeNetwork n1 = nodeNetwork(1);
    NodeNetwork n2 = nodeNetwork(2);
    assertEquals(nodeIp(1), n1.groups().localIp(), "VNET_LOCALIP defaults to VNET_INTERFACE's address");
    assertEquals("SUCCESS", n1.startNetwork(12, remoteHosts));
    assertEquals("SUCCESS", n2.startNetwork(12, remoteHosts));
    String l1 = links(1);
    assertTrue(l1.contains("eucabr12") && l1.matches("(?s).*eucavx12.*vxlan id 12 local 10\\.81\\.0\\.1 .*")
        && l1.matches("(?s).*eucavx12.*master eucabr12.*"), l1);
    assertEquals("00:00:00:00:00:00 dst 10.81.0.9\n00:00:00:00:00:00 dst 10.81.0.2\n", meshOf(1, "eucavx12"),
        "one entry per other host: the CC and the other node, not this one");
    assertEquals(Map.of(12, List.of(CC_IP, nodeIp(2))), new NetworkPeersFile(peersFile(1)).read());

    String g1 = guestOn(1, "eucabr12", "192.168.12.2");
    String g2 = guestOn(2, "eucabr12", "192.168.12.3");
    assertTrue(ping(g1, "192.168.12.3"), "guests of one group on two nodes reach each other through the mesh");

    // a guest whose ncRunInstance came before ncStartNetwork: its bridge is made with no peers yet
    assertEquals("eucabr13", n1.bridgeForGuest(13));
    assertTrue(links(1).contains("eucavx13"), links(1));
    assertEquals("", meshOf(1, "eucavx13"));

    String kept = n1.stopNetwork(12, () -> List.of("i-0000BEEF"));
    assertEquals("FAIL: network 12 is kept on this node: instance i-0000BEEF still runs on eucabr12", kept);
    assertTrue(ping(g2, "192.168.12.2"), "still carried");

    // the NC is killed (nothing of it is left but the peers file) and node 1's VXLAN link is lost
    sh("ip", "-n", node(1), "link", "del", "eucavx12");
    assertFalse(ping(g1, "192.168.12.3"), "without the link node 1 cannot reach node 2's guest");
    NodeNetwork restarted = nodeNetwork(1);
    restarted.restore(List.of(12));
    assertEquals("00:00:00:00:00:00 dst 10.81.0.9\n00:00:00:00:00:00 dst 10.81.0.2\n", meshOf(1, "eucavx12"),
        "the link is back with the recorded peers");
    assertTrue(ping(g1, "192.168.12.3"), "reachable again after the restart");

    // while guests talk, a restart's ensure changes nothing: not one ping lost
    ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", g2, "/bin/busybox", "ping", "-c", "20", "-i", "0.1", "-W", "1",
        "192.168.12.2").redirectErrorStream(true);
    Process pinging = pb.start();
    Thread.sleep(300);
    nodeNetwork(1).restore(List.of(12));
    nodeNetwork(2).restore(List.of(12));
    String pings = new String(pinging.getInputStream().readAllBytes());
    assertEquals(0, pinging.waitFor(), pings);
    assertTrue(pings.contains("20 packets transmitted, 20 packets received"), pings);
    assertTrue(sh("ip", "-n", node(1), "-o", "link", "show", "vnet1").contains("master eucabr12"), "the guest's port stayed");

    // the last guest gone: the stop removes the bridge and the VXLAN, and forgets the peers
    assertEquals("SUCCESS", restarted.stopNetwork(12, List::of));
    String after = links(1);
    assertFalse(after.contains("eucabr12") || after.contains("eucavx12"), after);
    assertFalse(new NetworkPeersFile(peersFile(1)).read().containsKey(12));
    assertEquals("SUCCESS", restarted.stopNetwork(12, List::of), "nothing left to remove is fine");
    assertEquals("SUCCESS", restarted.stopNetwork(13, List::of));
  }

  @Test
  void withoutTheKernels8021qTheVlanTransportStopsTheNcNamingVxlan() throws Exception {
    // (as VlanTransport asks; it also tries modprobe, through the namespace's runner)
    boolean has8021q = Files.isDirectory(Path.of("/proc/net/vlan")) || Files.isDirectory(Path.of("/sys/module/8021q"));
    skipIf(has8021q, "this kernel has 8021q: the vlan transport is usable here");
    BadConfigurationException e = assertThrows(BadConfigurationException.class, () -> nodeNetwork(1, "VNET_TRANSPORT", "vlan"));
    assertTrue(e.getMessage().startsWith("eucalyptus.conf: VNET_TRANSPORT=\"vlan\" needs the kernel's 802.1q"), e.getMessage());
    assertTrue(e.getMessage().contains("VNET_TRANSPORT=\"vxlan\""), e.getMessage());
    BadConfigurationException unset = assertThrows(BadConfigurationException.class,
        () -> NodeNetwork.fromConf(EucalyptusConf.of(Map.of("VNET_MODE", "MANAGED", "VNET_INTERFACE", "eth0")), peersFile(1),
            new NamespaceCommands(node(1))));
    assertTrue(unset.getMessage().contains("VNET_TRANSPORT=\"vxlan\""), "vlan is the default: " + unset.getMessage());
  }
}
