package com.eucalyptus.cc.network.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.network.VnetMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VnetConfigTest {
  static Map<String, String> managed() {
    Map<String, String> m = new HashMap<>();
    m.put("VNET_MODE", "MANAGED-NOVLAN");
    m.put("VNET_INTERFACE", "eth0");
    m.put("VNET_DHCPDAEMON", "/bin/true");
    m.put("VNET_SUBNET", "10.1.0.0");
    m.put("VNET_NETMASK", "255.255.0.0");
    m.put("VNET_DNS", "10.0.0.53");
    m.put("VNET_ADDRSPERNET", "32");
    m.put("VNET_PUBLICIPS", "192.0.2.5 192.0.2.10-192.0.2.12");
    return m;
  }

  static Map<String, String> statik() {
    Map<String, String> m = new HashMap<>();
    m.put("VNET_MODE", "STATIC");
    m.put("VNET_INTERFACE", "eth0");
    m.put("VNET_DHCPDAEMON", "/bin/true");
    m.put("VNET_SUBNET", "192.168.1.0");
    m.put("VNET_NETMASK", "255.255.255.0");
    m.put("VNET_BROADCAST", "192.168.1.255");
    m.put("VNET_ROUTER", "192.168.1.1");
    m.put("VNET_DNS", "192.168.1.2");
    m.put("VNET_MACMAP", "AA:DD:11:CE:FF:ED=192.168.1.3 aa:dd:11:ce:ff:ee=192.168.1.4");
    return m;
  }

  static VnetConfig parse(Map<String, String> m) {
    return VnetConfig.parse(EucalyptusConf.of(m));
  }

  static String refusal(Map<String, String> m) {
    return assertThrows(BadConfigurationException.class, () -> parse(m)).getMessage();
  }

  @Test
  void managedNoVlanIsReadWithInterfacesDefaultingToVnetInterface() {
    VnetConfig c = parse(managed());
    assertEquals(VnetMode.MANAGED_NOVLAN, c.mode());
    assertEquals("eth0", c.privateInterface());
    assertEquals("eth0", c.publicInterface());
    assertEquals("10.1.0.0/16", c.subnet().toString());
    assertEquals(32, c.addrsPerNet());
    assertEquals(2048, c.blocks());
    assertEquals(List.of("192.0.2.5", "192.0.2.10", "192.0.2.11", "192.0.2.12"), c.publicIps());
    assertEquals("root", c.dhcpUser());
    assertNull(c.cloudIp());
  }

  @Test
  void privateAndPublicInterfacesOverrideVnetInterface() {
    Map<String, String> m = managed();
    m.put("VNET_PRIVINTERFACE", "br0");
    m.put("VNET_PUBINTERFACE", "eth1");
    m.put("VNET_CLOUDIP", "10.0.0.1");
    VnetConfig c = parse(m);
    assertEquals("br0", c.privateInterface());
    assertEquals("eth1", c.publicInterface());
    assertEquals("10.0.0.1", c.cloudIp());
    m.remove("VNET_INTERFACE");
    assertEquals("br0", parse(m).privateInterface()); // VNET_PRIVINTERFACE alone is enough
  }

  @Test
  void staticIsReadWithItsMacMapInOrder() {
    VnetConfig c = parse(statik());
    assertEquals(VnetMode.STATIC, c.mode());
    assertEquals(List.of("aa:dd:11:ce:ff:ed", "aa:dd:11:ce:ff:ee"), List.copyOf(c.macMap().keySet()));
    assertEquals("192.168.1.3", c.macMap().get("aa:dd:11:ce:ff:ed"));
    assertEquals("192.168.1.1", c.router());
    assertEquals("192.168.1.255", c.broadcast());
    assertEquals(List.of("192.168.1.2"), c.dns());
  }

  @Test
  void systemKeepsItsFallbackToTheBridgeAndNeedsNothingElse() {
    VnetConfig c = parse(Map.of("VNET_BRIDGE", "br0"));
    assertEquals(VnetMode.SYSTEM, c.mode());
    assertEquals("br0", c.privateInterface());
    assertEquals("eth1", parse(Map.of("VNET_MODE", "SYSTEM", "VNET_BRIDGE", "br0", "VNET_PRIVINTERFACE", "eth1"))
        .privateInterface());
    assertNull(parse(Map.of()).privateInterface());
  }

  @Test
  void aBadSubnetIsRefusedNamingKeyAndValue() {
    Map<String, String> m = managed();
    m.put("VNET_SUBNET", "10.1.0.300");
    assertTrue(refusal(m).contains("VNET_SUBNET=\"10.1.0.300\" is not an IPv4 address"), refusal(m));
    m.put("VNET_SUBNET", "10.1.2.0");
    assertTrue(refusal(m).contains("VNET_SUBNET=\"10.1.2.0\" is not the first address"), refusal(m));
    m.put("VNET_SUBNET", "10.1.0.0");
    m.put("VNET_NETMASK", "255.0.255.0");
    assertTrue(refusal(m).contains("VNET_NETMASK=\"255.0.255.0\" is not a netmask"), refusal(m));
    m.remove("VNET_NETMASK");
    assertTrue(refusal(m).contains("VNET_NETMASK is not set"), refusal(m));
  }

  @Test
  void addrsPerNetMustBeAPowerOfTwoThatFits() {
    Map<String, String> m = managed();
    m.put("VNET_ADDRSPERNET", "48");
    assertTrue(refusal(m).contains("VNET_ADDRSPERNET=\"48\" is not a power of two"), refusal(m));
    m.put("VNET_ADDRSPERNET", "4");
    assertTrue(refusal(m).contains("VNET_ADDRSPERNET=\"4\" is not a power of two of at least 8"), refusal(m));
    m.put("VNET_ADDRSPERNET", "lots");
    assertTrue(refusal(m).contains("VNET_ADDRSPERNET=\"lots\" is not a number"), refusal(m));
    m.put("VNET_NETMASK", "255.255.255.0");
    m.put("VNET_SUBNET", "10.1.0.0");
    m.put("VNET_ADDRSPERNET", "128");
    assertTrue(refusal(m).contains("leaves no network for guests"), refusal(m));
    m.put("VNET_ADDRSPERNET", "64");
    assertEquals(4, parse(m).blocks());
  }

  @Test
  void theGuidesMisspeltAddrsPerNetWorks() {
    Map<String, String> m = managed();
    m.remove("VNET_ADDRSPERNET");
    m.put("VNET_ADDRSPPERNET", "64");
    m.remove("VNET_DHCPDAEMON");
    m.put("VNET_DHCPSERVER", "/bin/true");
    m.put("VNET_DHCPUSE", "nobody");
    VnetConfig c = parse(m);
    assertEquals(64, c.addrsPerNet());
    assertEquals("/bin/true", c.dhcpDaemon());
    assertEquals("nobody", c.dhcpUser());
  }

  @Test
  void managedNoVlanNeedsAtLeastOnePublicAddressAndWellFormedOnes() {
    Map<String, String> m = managed();
    m.put("VNET_PUBLICIPS", "");
    assertTrue(refusal(m).contains("VNET_PUBLICIPS is not set"), refusal(m));
    m.put("VNET_PUBLICIPS", "192.0.2.9-192.0.2.3");
    assertTrue(refusal(m).contains("ends before it starts"), refusal(m));
    m.put("VNET_PUBLICIPS", "192.0.2.1 192.0.2.1");
    assertTrue(refusal(m).contains("lists 192.0.2.1 twice"), refusal(m));
    m.put("VNET_PUBLICIPS", "10.1.3.3");
    assertTrue(refusal(m).contains("in the guests' VNET_SUBNET"), refusal(m));
    m.put("VNET_PUBLICIPS", "192.0.2.x");
    assertTrue(refusal(m).contains("VNET_PUBLICIPS=\"192.0.2.x\" is not an IPv4 address"), refusal(m));
  }

  @Test
  void aMalformedMacMapIsRefused() {
    Map<String, String> m = statik();
    // the guide's own second example has a MAC of five pairs
    m.put("VNET_MACMAP", "AA:DD:11:CE:FF:ED=192.168.1.3 AA:DD:CE:FF:EE=192.168.1.4");
    assertTrue(refusal(m).contains("\"AA:DD:CE:FF:EE=192.168.1.4\", which is not MAC=IP"), refusal(m));
    m.put("VNET_MACMAP", "AA:DD:11:CE:FF:ED=192.168.2.3");
    assertTrue(refusal(m).contains("is not a host address of VNET_SUBNET"), refusal(m));
    m.put("VNET_MACMAP", "AA:DD:11:CE:FF:ED=192.168.1.3 AA:DD:11:CE:FF:EE=192.168.1.3");
    assertTrue(refusal(m).contains("already mapped"), refusal(m));
    m.remove("VNET_MACMAP");
    assertTrue(refusal(m).contains("VNET_MACMAP is not set"), refusal(m));
  }

  @Test
  void staticNeedsRouterAndBroadcastInTheSubnet() {
    Map<String, String> m = statik();
    m.put("VNET_ROUTER", "10.0.0.1");
    assertTrue(refusal(m).contains("VNET_ROUTER=\"10.0.0.1\" is not in VNET_SUBNET"), refusal(m));
    m.remove("VNET_ROUTER");
    assertTrue(refusal(m).contains("VNET_ROUTER is not set"), refusal(m));
  }

  @Test
  void theInterfaceTheDaemonAndTheDnsAreNeeded() {
    Map<String, String> m = managed();
    m.remove("VNET_INTERFACE");
    assertTrue(refusal(m).contains("VNET_INTERFACE is not set"), refusal(m));
    m = managed();
    m.put("VNET_DHCPDAEMON", "/nonexistent/dhcpd3");
    assertTrue(refusal(m).contains("VNET_DHCPDAEMON=\"/nonexistent/dhcpd3\" is not an executable file"), refusal(m));
    m = managed();
    m.put("VNET_DNS", "dns.example.com");
    assertTrue(refusal(m).contains("VNET_DNS=\"dns.example.com\" is not an IPv4 address"), refusal(m));
  }

  @Test
  void anUnknownModeIsRefusedAndNeverRunsAsAnother() {
    assertTrue(refusal(Map.of("VNET_MODE", "MANAGEDNOVLAN")).contains("VNET_MODE=\"MANAGEDNOVLAN\" is not a networking mode"));
  }

  @Test
  void managedNeedsWhatManagedNoVlanNeeds() {
    Map<String, String> m = managed();
    m.put("VNET_MODE", "MANAGED");
    VnetConfig c = VnetConfig.parse(EucalyptusConf.of(m));
    assertEquals(VnetMode.MANAGED, c.mode());
    assertEquals(32, c.addrsPerNet());
    m.remove("VNET_PUBLICIPS");
    assertTrue(refusal(m).contains("VNET_PUBLICIPS is not set; it is needed in VNET_MODE=\"MANAGED\""), refusal(m));
  }
}
