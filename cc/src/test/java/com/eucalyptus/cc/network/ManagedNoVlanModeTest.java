package com.eucalyptus.cc.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.instances.InstanceTable;
import com.eucalyptus.cc.network.config.VnetConfig;
import com.eucalyptus.cc.network.dhcp.DhcpDaemon;
import com.eucalyptus.cc.network.model.ActiveNetwork;
import com.eucalyptus.cc.network.model.GroupRef;
import com.eucalyptus.cc.network.model.HostNetworkPlan;
import com.eucalyptus.cc.network.model.IngressRule;
import com.eucalyptus.cc.network.model.PublicAssignment;
import com.eucalyptus.cc.network.state.NetworkStateStore;
import com.eucalyptus.cc.resources.ResourceCalculator.VmType;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MANAGED-NOVLAN's logic: what the mode gives instances and what it asks of the host. The host
 * is a {@link RecordingHostNetwork} (these tests check the plan handed to it, not iptables); dhcpd
 * is /bin/true, so the configuration file it would serve is written and checked, and nothing runs.
 */
class ManagedNoVlanModeTest {
  @TempDir
  Path dir;
  RecordingHostNetwork host;
  VnetConfig config;
  ManagedNetworkMode mode;

  static Map<String, String> conf() {
    Map<String, String> m = new HashMap<>();
    m.put("VNET_MODE", "MANAGED-NOVLAN");
    m.put("VNET_INTERFACE", "eth0");
    m.put("VNET_PRIVINTERFACE", "br0");
    m.put("VNET_DHCPDAEMON", "/bin/true");
    m.put("VNET_SUBNET", "10.1.0.0");
    m.put("VNET_NETMASK", "255.255.255.0");
    m.put("VNET_DNS", "10.0.0.53");
    m.put("VNET_ADDRSPERNET", "16");
    m.put("VNET_PUBLICIPS", "192.0.2.10-192.0.2.12");
    return m;
  }

  ManagedNetworkMode newMode() {
    return new ManagedNetworkMode(config, new NetworkStateStore(dir.resolve(NetworkStateStore.FILE_NAME)),
        new DhcpDaemon(new CommandRunner(), "/bin/true", "root", dir, config.privateInterface()), host,
        dir.resolve("iptables-preload"));
  }

  @BeforeEach
  void start() throws Exception {
    host = new RecordingHostNetwork();
    config = VnetConfig.parse(EucalyptusConf.of(conf()));
    mode = newMode();
    mode.start();
  }

  static Instance instance(String id, String owner, int vlan, String... groups) {
    String mac = "D0:0D:" + id.substring(2, 4) + ":" + id.substring(4, 6) + ":" + id.substring(6, 8) + ":" + id.substring(8, 10);
    return new Instance(id, "r-1", owner, "emi-1", "eki-1", null, new VmType("m1.small", 128, 1, 2), null, Instant.now(),
        "Pending", mac, mac, vlan, null, null, null, null, "0", List.of(groups), null, null);
  }

  @Test
  void atStartThePreloadFileAndThePlanAreApplied() {
    assertEquals(List.of(dir.resolve("iptables-preload")), host.preloaded);
    HostNetworkPlan p = host.last();
    assertEquals("10.1.0.0/24", p.subnet().toString());
    assertEquals("br0", p.privateInterface());
    assertEquals("eth0", p.publicInterface());
    assertTrue(p.networks().isEmpty());
    assertNull(p.metadataTarget());
  }

  @Test
  void instancesGetAddressesOfTheirGroupsBlockAndKeepTheClcsMac() throws Exception {
    mode.startNetwork("alice", "web", 2, "10.0.0.1");
    Instance a = mode.admit(instance("i-00000001", "alice", 2, "web"));
    Instance b = mode.admit(instance("i-00000002", "alice", 2, "web"));
    assertEquals("10.1.0.34", a.privateIp()); // block 2 of /28s: 10.1.0.32, router .33
    assertEquals("10.1.0.34", a.publicIp());
    assertEquals("10.1.0.35", b.privateIp());
    assertEquals("d0:0d:00:00:00:01", a.privateMac());
    assertEquals(a.privateMac(), a.publicMac());
    HostNetworkPlan p = host.last();
    assertEquals(List.of(new ActiveNetwork(new GroupRef("alice", "web"), 2, p.networks().get(0).block())), p.networks());
    assertEquals("10.1.0.33", p.networks().get(0).router());
    assertEquals("10.0.0.1:8773", p.metadataTarget());
    String dhcp = Files.readString(dir.resolve("euca-dhcp.conf"));
    assertTrue(dhcp.contains("subnet 10.1.0.32 netmask 255.255.255.240"), dhcp);
    assertTrue(dhcp.contains("option routers 10.1.0.33;"), dhcp);
    assertTrue(dhcp.contains("hardware ethernet d0:0d:00:00:00:01;\n    fixed-address 10.1.0.34;"), dhcp);
    // the same instance asking again (a retry) keeps its address
    assertEquals("10.1.0.34", mode.admit(instance("i-00000001", "alice", 2, "web")).privateIp());
  }

  @Test
  void aSecondGroupIsRefusedWithTheEc2Error() {
    NetworkRefusal r = assertThrows(NetworkRefusal.class, () -> mode.admit(instance("i-00000001", "alice", 2, "web", "db")));
    assertEquals("InvalidParameterCombination", r.code());
    assertTrue(r.statusMessage().startsWith("InvalidParameterCombination: "), r.statusMessage());
    assertTrue(r.getMessage().contains("exactly one security group"), r.getMessage());
  }

  @Test
  void aFullBlockOrAnIndexOutsideThePlanIsNoCapacity() throws Exception {
    mode.startNetwork("alice", "web", 3, null);
    for (int k = 1; k <= 13; k++) { // 16 less network, router, broadcast
      mode.admit(instance(String.format("i-%08X", k), "alice", 3, "web"));
    }
    NetworkRefusal full = assertThrows(NetworkRefusal.class, () -> mode.admit(instance("i-000000FF", "alice", 3, "web")));
    assertEquals("InsufficientAddressCapacity", full.code());
    NetworkRefusal outside = assertThrows(NetworkRefusal.class, () -> mode.startNetwork("bob", "x", 16, null));
    assertEquals("InsufficientAddressCapacity", outside.code());
    assertThrows(NetworkRefusal.class, () -> mode.startNetwork("bob", "x", 1, null));
  }

  @Test
  void releasedAddressesAreGivenAgainAndTheirPublicAddressLetGo() throws Exception {
    mode.startNetwork("alice", "web", 2, null);
    Instance a = mode.admit(instance("i-00000001", "alice", 2, "web"));
    mode.assignAddress("192.0.2.11", a.privateIp());
    mode.released(a);
    assertTrue(host.last().publicAddresses().stream().noneMatch(PublicAssignment::assigned));
    assertEquals("10.1.0.34", mode.admit(instance("i-00000002", "alice", 2, "web")).privateIp());
    assertFalse(Files.readString(dir.resolve("euca-dhcp.conf")).contains("d0:0d:00:00:00:01"));
  }

  @Test
  void publicAddressesAreAssignedMovedUnassignedAndDescribed() throws Exception {
    mode.startNetwork("alice", "web", 2, null);
    Instance a = mode.admit(instance("i-00000001", "alice", 2, "web"));
    Instance b = mode.admit(instance("i-00000002", "alice", 2, "web"));
    // the plan lists the whole pool, the free addresses with no private one
    assertEquals(pool(null, null, null), host.last().publicAddresses());
    mode.assignAddress("192.0.2.11", a.privateIp());
    assertEquals(pool(null, "10.1.0.34", null), host.last().publicAddresses());
    assertEquals(pool(null, "10.1.0.34", null), mode.publicAddresses());
    // re-assigning moves it
    mode.assignAddress("192.0.2.11", b.privateIp());
    assertEquals(pool(null, "10.1.0.35", null), host.last().publicAddresses());
    // a second public address for b replaces the first (one per instance)
    mode.assignAddress("192.0.2.12", b.privateIp());
    assertEquals(pool(null, null, "10.1.0.35"), host.last().publicAddresses());
    // unassign from someone else leaves it; from b removes it; twice is fine
    mode.unassignAddress("192.0.2.12", a.privateIp());
    assertEquals(pool(null, null, "10.1.0.35"), host.last().publicAddresses());
    mode.unassignAddress("192.0.2.12", b.privateIp());
    mode.unassignAddress("192.0.2.12", b.privateIp());
    assertEquals(pool(null, null, null), host.last().publicAddresses());
    NetworkRefusal notOurs = assertThrows(NetworkRefusal.class, () -> mode.assignAddress("198.51.100.1", "10.1.0.34"));
    assertEquals("InvalidAddress.NotFound", notOurs.code());
    assertEquals("InvalidAddress.NotFound", assertThrows(NetworkRefusal.class,
        () -> mode.unassignAddress("198.51.100.1", "10.1.0.34")).code());
    assertEquals("InvalidParameterValue", assertThrows(NetworkRefusal.class,
        () -> mode.assignAddress("192.0.2.10", "10.1.0.99")).code());
  }

  /** VNET_PUBLICIPS 192.0.2.10-12, each leading to the private address given (null: free). */
  static List<PublicAssignment> pool(String to10, String to11, String to12) {
    return List.of(new PublicAssignment("192.0.2.10", to10), new PublicAssignment("192.0.2.11", to11),
        new PublicAssignment("192.0.2.12", to12));
  }

  @Test
  void theInstanceTableShowsPrivateAndPublicAddresses() throws Exception {
    mode.startNetwork("alice", "web", 2, null);
    Instance a = mode.admit(instance("i-00000001", "alice", 2, "web"));
    InstanceTable table = new InstanceTable();
    table.placed(a.placedOn("http://node:8775/axis2/services/EucalyptusNC", Instant.now()));
    mode.assignAddress("192.0.2.10", a.privateIp());
    mode.learn(table);
    assertEquals("10.1.0.34", table.get("i-00000001").privateIp());
    assertEquals("192.0.2.10", table.get("i-00000001").publicIp());
    mode.unassignAddress("192.0.2.10", a.privateIp());
    mode.learn(table);
    assertEquals("10.1.0.34", table.get("i-00000001").publicIp());
    // an ended instance frees its address
    table.update("i-00000001", i -> i.withState("Teardown"));
    mode.learn(table);
    assertTrue(mode.state().assignments().isEmpty());
  }

  @Test
  void rulesReplaceTheGroupsSetAndOnlyActiveGroupsReachTheHost() throws Exception {
    IngressRule ssh = new IngressRule("tcp", 22, 22, List.of("0.0.0.0/0"), List.of());
    mode.configureNetwork("alice", "web", List.of(ssh));
    assertTrue(host.last().rules().isEmpty(), "not active yet");
    mode.startNetwork("alice", "web", 2, null);
    assertEquals(Map.of(new GroupRef("alice", "web"), List.of(ssh)), host.last().rules());
    mode.configureNetwork("alice", "web", List.of());
    assertEquals(Map.of(new GroupRef("alice", "web"), List.of()), host.last().rules());
    mode.stopNetwork("alice", "web", 2);
    assertTrue(host.last().networks().isEmpty());
    assertTrue(host.last().rules().isEmpty());
  }

  @Test
  void aChangeTheHostCannotMakeIsRefusedAndUndone() throws Exception {
    mode.startNetwork("alice", "web", 2, null);
    Instance a = mode.admit(instance("i-00000001", "alice", 2, "web"));
    host.failWith = "iptables-restore: line 3 failed";
    NetworkRefusal r = assertThrows(NetworkRefusal.class, () -> mode.assignAddress("192.0.2.10", a.privateIp()));
    assertTrue(r.statusMessage().contains("iptables-restore: line 3 failed"), r.statusMessage());
    host.failWith = null;
    assertNull(mode.publicAddresses().get(0).privateIp());
    // and a restart does not bring it back either
    ManagedNetworkMode again = newMode();
    again.start();
    assertNull(again.publicAddresses().get(0).privateIp());
  }

  @Test
  void aRestartRebuildsEverythingFromTheSavedState() throws Exception {
    IngressRule ssh = new IngressRule("tcp", 22, 22, List.of("0.0.0.0/0"), List.of());
    mode.startNetwork("alice", "web", 2, "10.0.0.1");
    mode.configureNetwork("alice", "web", List.of(ssh));
    Instance a = mode.admit(instance("i-00000001", "alice", 2, "web"));
    mode.assignAddress("192.0.2.12", a.privateIp());
    HostNetworkPlan before = host.last();
    String dhcpBefore = Files.readString(dir.resolve("euca-dhcp.conf"));
    Files.delete(dir.resolve("euca-dhcp.conf"));

    RecordingHostNetwork fresh = new RecordingHostNetwork();
    host = fresh;
    ManagedNetworkMode restarted = newMode();
    restarted.start();
    assertEquals(before, fresh.last());
    assertEquals(dhcpBefore, Files.readString(dir.resolve("euca-dhcp.conf")));
    // an instance learnt from its node after the restart gets its addresses back
    InstanceTable table = new InstanceTable();
    table.nodeReported("http://node:8775/axis2/services/EucalyptusNC", Instant.now(),
        List.of(instance("i-00000001", "alice", 2, "web").withState("Extant")), Instant.now());
    restarted.learn(table);
    assertEquals("10.1.0.34", table.get("i-00000001").privateIp());
    assertEquals("192.0.2.12", table.get("i-00000001").publicIp());
    // and a new instance does not get its address
    assertEquals("10.1.0.35", restarted.admit(instance("i-00000002", "alice", 2, "web")).privateIp());
  }

  @Test
  void aLoopbackClcIsReachedThroughARouterAddressAndCloudIpWins() throws Exception {
    mode.startNetwork("alice", "web", 2, "127.0.0.1");
    assertEquals("10.1.0.33:8773", host.last().metadataTarget());
    Map<String, String> m = conf();
    m.put("VNET_CLOUDIP", "10.9.9.9");
    config = VnetConfig.parse(EucalyptusConf.of(m));
    ManagedNetworkMode withCloudIp = newMode();
    withCloudIp.start();
    withCloudIp.startNetwork("alice", "web", 2, "10.0.0.1");
    assertEquals("10.9.9.9:8773", host.last().metadataTarget());
  }

  @Test
  void anIndexInUseByAGroupWithInstancesIsNotTakenOver() throws Exception {
    mode.startNetwork("alice", "web", 2, null);
    mode.admit(instance("i-00000001", "alice", 2, "web"));
    assertThrows(NetworkRefusal.class, () -> mode.startNetwork("bob", "db", 2, null));
    mode.startNetwork("bob", "db", 3, null);
    // StartNetwork again is idempotent
    int applied = host.applied.size();
    mode.startNetwork("bob", "db", 3, null);
    assertEquals(applied, host.applied.size());
    // an index whose group has no instances left passes on (its StopNetwork was lost)
    mode.startNetwork("carol", "x", 3, null);
    assertEquals(List.of(new GroupRef("alice", "web"), new GroupRef("carol", "x")),
        host.last().networks().stream().map(ActiveNetwork::group).toList());
  }
}
