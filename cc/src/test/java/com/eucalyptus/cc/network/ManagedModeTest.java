package com.eucalyptus.cc.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.cc.network.config.VnetConfig;
import com.eucalyptus.cc.network.dhcp.DhcpDaemon;
import com.eucalyptus.cc.network.managed.TransportBridges;
import com.eucalyptus.cc.network.state.NetworkStateStore;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MANAGED's logic (the shared MANAGED-NOVLAN logic is ManagedNoVlanModeTest's): what the mode asks
 * of the transport and the host, in which order, and what it undoes. The host networking and the
 * transport are recording stand-ins here; ManagedNamespaceTest runs the real ones.
 */
class ManagedModeTest {
  @TempDir
  Path dir;
  RecordingHostNetwork host;
  RecordingTransport transport;
  ManagedNetworkMode mode;

  ManagedNetworkMode newMode() {
    Map<String, String> m = ManagedNoVlanModeTest.conf();
    m.put("VNET_MODE", "MANAGED");
    VnetConfig config = VnetConfig.parse(EucalyptusConf.of(m));
    return new ManagedNetworkMode(config, new NetworkStateStore(dir.resolve(NetworkStateStore.FILE_NAME)),
        new DhcpDaemon(new CommandRunner(), "/bin/true", "root", dir, config.privateInterface()), host,
        dir.resolve("iptables-preload"), new TransportBridges(transport, List.of("192.0.2.101", "192.0.2.102")));
  }

  @BeforeEach
  void start() throws Exception {
    host = new RecordingHostNetwork();
    transport = new RecordingTransport("192.0.2.1");
    mode = newMode();
    mode.start();
  }

  @Test
  void eachNetworkGetsItsBridgeBeforeItsRouterAndLosesItOnStop() throws Exception {
    assertEquals("MANAGED", mode.name());
    mode.startNetwork("alice", "web", 2, "10.0.0.1");
    assertEquals(List.of("ensure 2 192.0.2.101 192.0.2.102"), transport.calls);
    assertEquals(Map.of(2, "eucabr2"), host.last().routerInterfaces());
    mode.startNetwork("alice", "web", 2, "10.0.0.1");
    assertEquals(1, transport.calls.size(), "an active network is not made again");
    assertEquals(List.of("192.0.2.1", "192.0.2.102"), mode.remoteHosts("192.0.2.101"));
    assertTrue(mode.stopsNetworkOnNodes());
    assertTrue(mode.indexInUse(2));
    mode.stopNetwork("alice", "web", 2);
    assertEquals(List.of("ensure 2 192.0.2.101 192.0.2.102", "remove 2"), transport.calls);
    assertTrue(host.last().routerInterfaces().isEmpty());
    assertFalse(mode.indexInUse(2));
  }

  @Test
  void aRestartedCcMakesEverySavedNetworkAgain() throws Exception {
    mode.startNetwork("alice", "web", 2, "10.0.0.1");
    mode.startNetwork("bob", "db", 3, "10.0.0.1");
    transport.calls.clear();
    ManagedNetworkMode restarted = newMode();
    restarted.start();
    assertEquals(List.of("ensure 2 192.0.2.101 192.0.2.102", "ensure 3 192.0.2.101 192.0.2.102"), transport.calls);
    assertEquals(Map.of(2, "eucabr2", 3, "eucabr3"), host.last().routerInterfaces());
  }

  @Test
  void aHostThatCannotBeSetUpUndoesTheNewBridge() throws Exception {
    host.failWith = "iptables-restore: line 3 failed";
    NetworkRefusal e = assertThrows(NetworkRefusal.class, () -> mode.startNetwork("alice", "web", 2, "10.0.0.1"));
    assertTrue(e.getMessage().contains("iptables-restore"), e.getMessage());
    assertEquals(List.of("ensure 2 192.0.2.101 192.0.2.102", "remove 2"), transport.calls);
    assertFalse(mode.indexInUse(2));
  }

  @Test
  void nodesNamedByHostNameArePeersByTheirIpv4Address() throws Exception {
    TransportBridges links = new TransportBridges(transport, List.of("localhost", "192.0.2.102"));
    links.ensure(5);
    assertEquals("ensure 5 127.0.0.1 192.0.2.102", transport.calls.get(transport.calls.size() - 1));
    assertEquals(List.of("192.0.2.1", "192.0.2.102"), links.remoteHosts("localhost"), "a node is not its own peer");
    assertEquals(List.of("192.0.2.1", "127.0.0.1"), links.remoteHosts("192.0.2.102"));
    assertEquals(4789, links.remoteHostPort());
  }

  @Test
  void anInstanceIsInExactlyOneGroupAsInManagedNoVlan() {
    NetworkRefusal e = assertThrows(NetworkRefusal.class,
        () -> mode.admit(ManagedNoVlanModeTest.instance("i-00000001", "alice", 2, "web", "db")));
    assertTrue(e.statusMessage().startsWith("InvalidParameterCombination: in VNET_MODE MANAGED an instance is in "
        + "exactly one security group"), e.statusMessage());
  }
}
