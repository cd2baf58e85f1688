package com.eucalyptus.runtime.network.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.network.VnetKeys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** VNET_TRANSPORT and VNET_LOCALIP as the CC and the NC read them (the underlay's address through the command runner). */
class NetworkTransportsTest {
  static final String ETH1_ADDRESSES = "2: eth1    inet 192.0.2.7/24 brd 192.0.2.255 scope global eth1\\       valid_lft "
      + "forever preferred_lft forever\n2: eth1    inet 192.0.2.8/24 scope global secondary eth1\n";

  static NetworkTransport make(Map<String, String> conf, RecordingCommandRunner runner) {
    return NetworkTransports.fromConf(VnetKeys.of(EucalyptusConf.of(conf)), "VNET_INTERFACE", "eth1", runner);
  }

  static RecordingCommandRunner eth1() {
    return new RecordingCommandRunner().answer("ip -o -4 addr show dev eth1", 0, ETH1_ADDRESSES);
  }

  @Test
  void vlanIsTheDefaultAsIn152() {
    NetworkTransport t = make(Map.of(), eth1());
    assertInstanceOf(VlanTransport.class, t);
    assertEquals("vlan", t.name());
    assertEquals(0, t.guestMtu());
    assertEquals(0, t.port());
  }

  @Test
  void vxlanInAnyCaseWithTheUnderlaysFirstAddressAsItsOwn() {
    RecordingCommandRunner runner = eth1();
    NetworkTransport t = make(Map.of("VNET_TRANSPORT", " VXLAN "), runner);
    assertInstanceOf(VxlanTransport.class, t);
    assertEquals("192.0.2.7", t.localAddress());
    assertEquals(4789, t.port());
    assertEquals(List.of("ip -o -4 addr show dev eth1"), runner.commands);
  }

  @Test
  void vnetLocalIpWinsOverTheUnderlaysAddress() {
    RecordingCommandRunner runner = eth1();
    assertEquals("198.51.100.3", make(Map.of("VNET_TRANSPORT", "vxlan", "VNET_LOCALIP", "198.51.100.3"), runner)
        .localAddress());
    assertEquals(List.of(), runner.commands, "nothing to look up");
  }

  @Test
  void badValuesStopTheDaemonNamingKeyAndValue() {
    assertEquals("eucalyptus.conf: VNET_TRANSPORT=\"gre\" is not a transport: use \"vlan\" (802.1q vlans, as 1.5.2; "
        + "the default) or \"vxlan\" (unicast VXLAN, for networks that are not vlan clean or kernels without 8021q)",
        assertThrows(BadConfigurationException.class, () -> make(Map.of("VNET_TRANSPORT", "gre"), eth1())).getMessage());
    assertEquals("eucalyptus.conf: VNET_LOCALIP=\"10.0.0.256\" is not an IPv4 address",
        assertThrows(BadConfigurationException.class,
            () -> make(Map.of("VNET_TRANSPORT", "vxlan", "VNET_LOCALIP", "10.0.0.256"), eth1())).getMessage());
  }

  @Test
  void vxlanWithoutAnAddressToSendFromIsRefusedButVlanDoesNotNeedOne() {
    RecordingCommandRunner bare = new RecordingCommandRunner().answer("ip -o -4 addr show dev eth1", 0, "");
    assertEquals("eucalyptus.conf: VNET_LOCALIP is not set; VNET_TRANSPORT=\"vxlan\" needs this host's own address on "
        + "the network to the other hosts, and VNET_INTERFACE=\"eth1\" has no IPv4 address to take it from",
        assertThrows(BadConfigurationException.class, () -> make(Map.of("VNET_TRANSPORT", "vxlan"), bare)).getMessage());
    assertNull(make(Map.of("VNET_TRANSPORT", "vlan"), bare).localAddress());
  }
}
