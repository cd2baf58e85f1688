package com.eucalyptus.runtime.network.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.network.VnetKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vxlan transport for real: three hosts (network namespaces) on one underlay (a bridge in a
 * fourth namespace, a veth to each host, 10.79.0.1-3/24), each making network 42 with
 * {@link VxlanTransport} (found from VNET_TRANSPORT and the underlay's address, as the daemons
 * do) with the other two as peers, every command run inside its host's namespace. A "guest"
 * (a namespace with a veth whose other end joins the host's eucabr42) on each host: the three
 * reach each other through the mesh, full-size packets of the guests' MTU included; a guest of
 * network 43 with an address of the same subnet reaches none of them. Needs root and ip netns.
 */
class VxlanNamespaceTest {
  static final String TAG = "vx" + UUID.randomUUID().toString().substring(0, 6);
  static final String UNDERLAY = TAG + "-u";
  static final List<String> made = new ArrayList<>();

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
      System.out.println("VxlanNamespaceTest skipped: " + reason);
    }
    assumeTrue(!condition, reason);
  }

  static String host(int k) {
    return TAG + "-h" + k;
  }

  static String guest(int k) {
    return TAG + "-g" + k;
  }

  static String hostIp(int k) {
    return "10.79.0." + k;
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
    for (int k = 1; k <= 3; k++) {
      netns(host(k));
      sh("ip", "-n", host(k), "link", "add", "eth0", "type", "veth", "peer", "name", "p" + k, "netns", UNDERLAY);
      sh("ip", "-n", UNDERLAY, "link", "set", "p" + k, "master", "sw", "up");
      sh("ip", "-n", host(k), "addr", "add", hostIp(k) + "/24", "dev", "eth0");
      sh("ip", "-n", host(k), "link", "set", "eth0", "up");
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    for (String ns : made) {
      ok("ip", "netns", "del", ns);
    }
  }

  static NetworkTransport transport(int k) {
    return NetworkTransports.fromConf(VnetKeys.of(EucalyptusConf.of(Map.of("VNET_TRANSPORT", "vxlan"))),
        "VNET_INTERFACE", "eth0", new NamespaceRunner(host(k)));
  }

  static List<String> peersOf(int k) {
    List<String> p = new ArrayList<>();
    for (int j = 1; j <= 3; j++) {
      if (j != k) {
        p.add(hostIp(j));
      }
    }
    return p;
  }

  /** A guest namespace with a veth (MTU {@code mtu}) whose other end is on {@code bridge} of host {@code k}. */
  static void guestOn(String name, int k, String bridge, String address, int mtu) throws Exception {
    netns(name);
    String port = "t" + name.substring(name.length() - 2);
    sh("ip", "-n", name, "link", "add", "eth0", "mtu", String.valueOf(mtu), "type", "veth", "peer", "name", port,
        "netns", host(k));
    sh("ip", "-n", host(k), "link", "set", port, "mtu", String.valueOf(mtu), "master", bridge, "up");
    sh("ip", "-n", name, "addr", "add", address + "/24", "dev", "eth0");
    sh("ip", "-n", name, "link", "set", "eth0", "up");
  }

  static boolean ping(String from, String to, int size) throws Exception {
    return ok("ip", "netns", "exec", from, "/bin/busybox", "ping", "-c", "2", "-W", "2", "-s", String.valueOf(size), to);
  }

  static String fdb(int k, String dev) throws Exception {
    return sh("ip", "netns", "exec", host(k), "bridge", "fdb", "show", "dev", dev);
  }

  @Test
  void threeHostsMeshOneNetworkAndAnotherNetworkCannotReachIt() throws Exception {
    List<NetworkTransport> t = new ArrayList<>();
    for (int k = 1; k <= 3; k++) {
      NetworkTransport x = transport(k);
      assertEquals(hostIp(k), x.localAddress(), "VNET_LOCALIP defaults to the underlay's address");
      assertNull(x.problem());
      assertEquals(1450, x.guestMtu(), "a 1500 underlay less VXLAN's 50");
      assertEquals("eucabr42", x.ensure(42, peersOf(k)));
      t.add(x);
    }
    String links = sh("ip", "-n", host(1), "-d", "link", "show", "eucavx42");
    assertTrue(links.contains("vxlan id 42 local 10.79.0.1") && links.contains("dstport 4789")
        && links.contains("mtu 1450") && links.contains("master eucabr42"), links);
    String entries = fdb(1, "eucavx42");
    assertTrue(entries.contains("00:00:00:00:00:00 dst 10.79.0.2") && entries.contains("00:00:00:00:00:00 dst 10.79.0.3"),
        entries);
    for (int k = 1; k <= 3; k++) {
      guestOn(guest(k), k, "eucabr42", "192.168.42." + k, 1450);
    }
    assertTrue(ping(guest(1), "192.168.42.2", 56), "guest on host 1 reaches guest on host 2");
    assertTrue(ping(guest(2), "192.168.42.3", 56), "host 2 to host 3, not through host 1");
    assertTrue(ping(guest(3), "192.168.42.1", 1422), "a full 1450-byte packet crosses the VXLAN");

    // network 43 on host 3 only, a guest in the same subnet: it reaches nobody of network 42
    t.get(2).ensure(43, peersOf(3));
    guestOn(guest(4), 3, "eucabr43", "192.168.42.4", 1450);
    assertFalse(ping(guest(4), "192.168.42.1", 56), "another network is not reachable");
    assertFalse(ping(guest(4), "192.168.42.3", 56), "not even on the same host");

    // idempotent: ensuring again only reads; a peer that left is dropped, and comes back
    NamespaceRunner r1 = (NamespaceRunner) runnerOf(t.get(0));
    r1.commands.clear();
    t.get(0).ensure(42, peersOf(1));
    assertTrue(r1.commands.stream().allMatch(c -> c.startsWith("ip -o") || c.startsWith("bridge fdb show")),
        r1.commands.toString());
    t.get(0).ensure(42, List.of(hostIp(2), hostIp(1)));
    entries = fdb(1, "eucavx42");
    // (learnt entries name guests' MACs; the mesh is the all-zero ones)
    assertFalse(entries.contains("00:00:00:00:00:00 dst 10.79.0.3"), entries);
    assertTrue(entries.contains("00:00:00:00:00:00 dst 10.79.0.2"), entries);
    assertFalse(entries.contains("dst 10.79.0.1 "), "its own address is no peer: " + entries);
    t.get(0).ensure(42, peersOf(1));
    assertTrue(ping(guest(1), "192.168.42.3", 56), "host 3 is back in host 1's mesh");

    // remove: nothing of the network is left on the host
    t.get(2).remove(43);
    t.get(0).remove(42);
    t.get(0).remove(42);
    String left = sh("ip", "-n", host(1), "-o", "link", "show");
    assertFalse(left.contains("eucabr42") || left.contains("eucavx42"), left);
    left = sh("ip", "-n", host(3), "-o", "link", "show");
    assertFalse(left.contains("eucabr43") || left.contains("eucavx43"), left);
    assertFalse(ping(guest(2), "192.168.42.1", 56), "host 1 is out of the network");
  }

  static Object runnerOf(NetworkTransport t) {
    return ((BridgedTransport) t).runner;
  }
}
