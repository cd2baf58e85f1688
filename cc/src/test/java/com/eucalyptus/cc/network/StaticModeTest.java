package com.eucalyptus.cc.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.instances.InstanceTable;
import com.eucalyptus.cc.network.config.VnetConfig;
import com.eucalyptus.cc.network.dhcp.DhcpDaemon;
import com.eucalyptus.cc.network.state.NetworkStateStore;
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

/** STATIC's logic; dhcpd is /bin/true (the file it would serve is checked; nothing runs). */
class StaticModeTest {
  @TempDir
  Path dir;
  VnetConfig config;
  StaticMode mode;

  StaticMode newMode() {
    return new StaticMode(config, new NetworkStateStore(dir.resolve(NetworkStateStore.FILE_NAME)),
        new DhcpDaemon(new CommandRunner(), "/bin/true", "root", dir, "eth0"));
  }

  @BeforeEach
  void start() throws Exception {
    Map<String, String> m = new HashMap<>();
    m.put("VNET_MODE", "STATIC");
    m.put("VNET_INTERFACE", "eth0");
    m.put("VNET_DHCPDAEMON", "/bin/true");
    m.put("VNET_SUBNET", "192.168.1.0");
    m.put("VNET_NETMASK", "255.255.255.0");
    m.put("VNET_BROADCAST", "192.168.1.255");
    m.put("VNET_ROUTER", "192.168.1.1");
    m.put("VNET_DNS", "192.168.1.2");
    m.put("VNET_MACMAP", "AA:DD:11:CE:FF:ED=192.168.1.3 AA:DD:11:CE:FF:EE=192.168.1.4");
    config = VnetConfig.parse(EucalyptusConf.of(m));
    mode = newMode();
    mode.start();
  }

  static Instance instance(String id) {
    return ManagedNoVlanModeTest.instance(id, "alice", 0, "default");
  }

  @Test
  void pairsAreGivenFirstComeFirstServedWithTheMapsMac() throws Exception {
    Instance a = mode.admit(instance("i-00000001"));
    assertEquals("aa:dd:11:ce:ff:ed", a.privateMac());
    assertEquals("aa:dd:11:ce:ff:ed", a.publicMac());
    assertEquals("192.168.1.3", a.privateIp());
    assertEquals("192.168.1.3", a.publicIp());
    Instance b = mode.admit(instance("i-00000002"));
    assertEquals("192.168.1.4", b.privateIp());
    NetworkRefusal none = assertThrows(NetworkRefusal.class, () -> mode.admit(instance("i-00000003")));
    assertEquals("InsufficientAddressCapacity", none.code());
    String dhcp = Files.readString(dir.resolve("euca-dhcp.conf"));
    assertTrue(dhcp.contains("subnet 192.168.1.0 netmask 255.255.255.0"), dhcp);
    assertTrue(dhcp.contains("option routers 192.168.1.1;"), dhcp);
    assertTrue(dhcp.contains("option broadcast-address 192.168.1.255;"), dhcp);
    assertTrue(dhcp.contains("option domain-name-servers 192.168.1.2;"), dhcp);
    assertTrue(dhcp.contains("hardware ethernet aa:dd:11:ce:ff:ee;\n    fixed-address 192.168.1.4;"), dhcp);
    mode.released(a);
    assertEquals("192.168.1.3", mode.admit(instance("i-00000003")).privateIp());
  }

  @Test
  void aRestartKeepsThePairsAndGivesLearntInstancesTheirAddresses() throws Exception {
    mode.admit(instance("i-00000001"));
    StaticMode again = newMode();
    again.start();
    InstanceTable table = new InstanceTable();
    table.nodeReported("http://n:8775/x", Instant.now(), List.of(instance("i-00000001").withState("Extant")), Instant.now());
    again.learn(table);
    assertEquals("192.168.1.3", table.get("i-00000001").privateIp());
    assertEquals("192.168.1.4", again.admit(instance("i-00000002")).privateIp());
  }

  @Test
  void noElasticIpsNoGroups() throws Exception {
    assertEquals("UnsupportedOperation", assertThrows(NetworkRefusal.class, () -> mode.publicAddresses()).code());
    assertEquals("UnsupportedOperation", assertThrows(NetworkRefusal.class,
        () -> mode.assignAddress("192.0.2.1", "192.168.1.3")).code());
    mode.startNetwork("alice", "web", 2, "10.0.0.1"); // succeeds, does nothing
    mode.configureNetwork("alice", "web", List.of());
    // two groups are fine in STATIC (no network per group)
    assertEquals("192.168.1.3", mode.admit(ManagedNoVlanModeTest.instance("i-00000009", "alice", 0, "a", "b")).privateIp());
  }
}
