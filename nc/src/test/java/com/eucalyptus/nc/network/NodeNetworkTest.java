package com.eucalyptus.nc.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.runtime.network.VnetMode;
import com.eucalyptus.runtime.network.transport.NetworkTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeNetworkTest {
  @TempDir
  Path sys;

  static NodeNetwork fromConf(Map<String, String> conf) {
    return NodeNetwork.fromConf(EucalyptusConf.of(conf), Path.of("/nonexistent/nc-networks"), new CommandRunner());
  }

  @Test
  void theModeIsCheckedAtStartAsOnTheCc() {
    assertEquals(VnetMode.SYSTEM, fromConf(Map.of()).mode());
    assertEquals(VnetMode.MANAGED_NOVLAN, fromConf(Map.of("VNET_MODE", "MANAGED-NOVLAN", "VNET_BRIDGE", "br0")).mode());
    String unknown = assertThrows(BadConfigurationException.class, () -> fromConf(Map.of("VNET_MODE", "NOVLAN"))).getMessage();
    assertTrue(unknown.contains("VNET_MODE=\"NOVLAN\""), unknown);
  }

  @Test
  void managedNeedsTheUnderlayInterfaceAsInTheGuide() {
    String m = assertThrows(BadConfigurationException.class, () -> fromConf(Map.of("VNET_MODE", "MANAGED", "VNET_BRIDGE", "br0")))
        .getMessage();
    assertTrue(m.contains("VNET_INTERFACE is not set") && m.contains("VNET_MODE=\"MANAGED\""), m);
    String bad = assertThrows(BadConfigurationException.class, () -> fromConf(Map.of("VNET_MODE", "MANAGED",
        "VNET_INTERFACE", "eth0 eth1"))).getMessage();
    assertTrue(bad.contains("VNET_INTERFACE=\"eth0 eth1\" is not a network interface name"), bad);
  }

  @Test
  void staticAndManagedNoVlanNeedTheBridge() {
    String m = assertThrows(BadConfigurationException.class, () -> fromConf(Map.of("VNET_MODE", "STATIC"))).getMessage();
    assertTrue(m.contains("VNET_BRIDGE is not set"), m);
    assertNull(fromConf(Map.of("VNET_MODE", "SYSTEM")).bridge());
  }

  @Test
  void startNetworkSaysWhetherTheBridgeIsThere() throws Exception {
    Files.createDirectories(sys.resolve("br0/bridge"));
    Files.createDirectories(sys.resolve("eth0"));
    assertEquals("SUCCESS", new NodeNetwork(VnetMode.MANAGED_NOVLAN, "br0", sys).startNetwork(2, List.of("localhost")));
    String notBridge = new NodeNetwork(VnetMode.MANAGED_NOVLAN, "eth0", sys).startNetwork(2, List.of());
    assertTrue(notBridge.startsWith("FAIL: VNET_BRIDGE eth0 is not a bridge"), notBridge);
    String missing = new NodeNetwork(VnetMode.STATIC, "br9", sys).startNetwork(0, List.of());
    assertTrue(missing.startsWith("FAIL: VNET_BRIDGE br9 does not exist"), missing);
  }

  @Test
  void theMachinesOwnLoopbackIsNoBridge() {
    // the real /sys/class/net: lo exists everywhere and is never a bridge
    String lo = new NodeNetwork(VnetMode.SYSTEM, "lo", Path.of("/sys/class/net")).startNetwork(0, List.of());
    assertTrue(lo.startsWith("FAIL: VNET_BRIDGE lo is not a bridge"), lo);
  }

  @Test
  void outsideManagedGuestsJoinVnetBridgeAndStopNetworkHasNothingToDo() throws Exception {
    NodeNetwork n = new NodeNetwork(VnetMode.MANAGED_NOVLAN, "br0", sys);
    assertEquals("br0", n.bridgeForGuest(7));
    assertEquals("SUCCESS", n.stopNetwork(7, () -> List.of("i-00000001")));
    assertNull(n.groups());
  }

  // ---- MANAGED: the node's logic against a transport that records what it is asked (the real
  // transports, on real bridges and vxlan links, are NodeNetworkNamespaceTest's) ----------------

  /** Records ensure/remove; fails an ensure of a vlan in {@code failing}. */
  static final class RecordingTransport implements NetworkTransport {
    final String name;
    final List<String> calls = new ArrayList<>();
    final Set<Integer> failing = new java.util.HashSet<>();

    RecordingTransport(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String problem() {
      return null;
    }

    @Override
    public String ensure(int vlan, List<String> peers) throws TransportException {
      calls.add("ensure " + vlan + " " + peers);
      if (failing.contains(vlan)) {
        throw new TransportException("ip link add eucavx" + vlan + " … => exit 2: RTNETLINK answers: File exists");
      }
      return bridgeName(vlan);
    }

    @Override
    public void remove(int vlan) {
      calls.add("remove " + vlan);
    }

    @Override
    public int guestMtu() {
      return "vxlan".equals(name) ? 1450 : 0;
    }
  }

  RecordingTransport transport = new RecordingTransport("vxlan");

  NodeNetwork managed() {
    return new NodeNetwork(new GroupNetworks(transport, "10.1.0.2", new NetworkPeersFile(sys.resolve("state/nc-networks"))));
  }

  @Test
  void startNetworkMakesTheGroupsBridgeWithEveryHostButThisOneAsPeers() throws Exception {
    NodeNetwork n = managed();
    assertEquals("SUCCESS", n.startNetwork(5, List.of("10.1.0.1", "10.1.0.2", " 10.1.0.3 ", "", "10.1.0.1")));
    assertEquals(List.of("ensure 5 [10.1.0.1, 10.1.0.3]"), transport.calls);
    assertEquals(Map.of(5, List.of("10.1.0.1", "10.1.0.3")), new NetworkPeersFile(sys.resolve("state/nc-networks")).read());
    // sent again with other peers: ensured again (the transport replaces the stale entries), recorded
    assertEquals("SUCCESS", n.startNetwork(5, List.of("10.1.0.1", "10.1.0.4")));
    assertEquals("ensure 5 [10.1.0.1, 10.1.0.4]", transport.calls.get(1));
    assertEquals(Map.of(5, List.of("10.1.0.1", "10.1.0.4")), new NetworkPeersFile(sys.resolve("state/nc-networks")).read());
  }

  @Test
  void aTransportFailureOrABadRequestIsAFailWithTheReason() {
    NodeNetwork n = managed();
    transport.failing.add(6);
    String failed = n.startNetwork(6, List.of("10.1.0.1"));
    assertEquals("FAIL: ip link add eucavx6 … => exit 2: RTNETLINK answers: File exists", failed);
    String host = n.startNetwork(7, List.of("10.1.0.1", "localhost"));
    assertTrue(host.startsWith("FAIL: remoteHosts \"localhost\" is not an IPv4 address"), host);
    String none = n.startNetwork(0, List.of("10.1.0.1"));
    assertTrue(none.startsWith("FAIL: VNET_MODE=\"MANAGED\" needs the network index"), none);
    assertEquals(List.of("ensure 6 [10.1.0.1]"), transport.calls, "nothing built for the refused requests");
  }

  @Test
  void vlanReachesThePeersThroughTheSwitchSoOldStyleRemoteHostsAreFine() {
    transport = new RecordingTransport("vlan");
    // 1.5.2's CC sent localhost:1234
    assertEquals("SUCCESS", managed().startNetwork(10, List.of("localhost")));
  }

  @Test
  void stopNetworkKeepsANetworkThatAGuestOfThisNodeIsOn() throws Exception {
    NodeNetwork n = managed();
    n.startNetwork(5, List.of("10.1.0.1"));
    String kept = n.stopNetwork(5, () -> List.of("i-0000000A", "i-0000000B"));
    assertEquals("FAIL: network 5 is kept on this node: instances i-0000000A, i-0000000B still run on eucabr5", kept);
    assertEquals(List.of("ensure 5 [10.1.0.1]"), transport.calls);
    assertEquals(Set.of(5), new NetworkPeersFile(sys.resolve("state/nc-networks")).read().keySet());
    assertEquals("SUCCESS", n.stopNetwork(5, List::of));
    assertEquals("remove 5", transport.calls.get(1));
    assertEquals(Map.of(), new NetworkPeersFile(sys.resolve("state/nc-networks")).read(), "its peers forgotten");
  }

  @Test
  void aGuestArrivingBeforeStartNetworkGetsItsBridgeWithThePeersLastKnown() throws Exception {
    NodeNetwork n = managed();
    assertEquals("eucabr8", n.bridgeForGuest(8));
    assertEquals("ensure 8 []", transport.calls.get(0), "never told: no peers yet; StartNetwork adds them");
    n.startNetwork(9, List.of("10.1.0.1", "10.1.0.5"));
    assertEquals("eucabr9", n.bridgeForGuest(9));
    assertEquals("ensure 9 [10.1.0.1, 10.1.0.5]", transport.calls.get(2));
    transport.failing.add(11);
    IOException e = assertThrows(IOException.class, () -> n.bridgeForGuest(11));
    assertTrue(e.getMessage().startsWith("the bridge of network 11 could not be made: ip link add eucavx11"), e.getMessage());
  }

  @Test
  void aRestartedNodeEnsuresTheNetworksOfItsRunningGuestsWithTheRecordedPeers() {
    managed().startNetwork(5, List.of("10.1.0.1", "10.1.0.3"));
    managed().startNetwork(6, List.of("10.1.0.1"));
    managed().startNetwork(7, List.of("10.1.0.1"));
    transport.calls.clear();
    transport.failing.add(6);
    // a new NodeNetwork: what the NC has after a restart, kill -9 included (only the file is left)
    managed().restore(List.of(7, 6, 5, 12));
    assertEquals(List.of("ensure 5 [10.1.0.1, 10.1.0.3]", "ensure 6 [10.1.0.1]", "ensure 7 [10.1.0.1]", "ensure 12 []"), transport.calls,
        "every network with guests, one failure not stopping the others, nothing removed");
  }

  @Test
  void aDamagedPeersFileIsNamedWithItsLine() throws Exception {
    Path f = sys.resolve("nc-networks");
    Files.writeString(f, "eucalyptus-nc-networks 1\nnetwork\t5\t10.0.0.1\nnetwork five\n");
    IOException e = assertThrows(IOException.class, () -> new NetworkPeersFile(f).read());
    assertTrue(e.getMessage().contains(f + " line 3"), e.getMessage());
    Files.writeString(f, "something else\n");
    assertTrue(assertThrows(IOException.class, () -> new NetworkPeersFile(f).read()).getMessage().contains("line 1"));
  }
}
