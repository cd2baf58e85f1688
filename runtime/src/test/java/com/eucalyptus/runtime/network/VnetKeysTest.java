package com.eucalyptus.runtime.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.config.EucalyptusConf;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VnetKeysTest {
  @Test
  void theModesAreReadInAnyCaseAndUnsetIsSystem() {
    assertEquals(VnetMode.SYSTEM, VnetMode.parse(null));
    assertEquals(VnetMode.SYSTEM, VnetMode.parse(" "));
    assertEquals(VnetMode.STATIC, VnetMode.parse("static"));
    assertEquals(VnetMode.MANAGED_NOVLAN, VnetMode.parse(" MANAGED-NOVLAN "));
    assertEquals(VnetMode.MANAGED_NOVLAN, VnetKeys.of(EucalyptusConf.parse("VNET_MODE=\"MANAGED-NOVLAN\"\n")).mode());
  }

  @Test
  void anUnknownModeIsRefusedNamingKeyAndValue() {
    BadConfigurationException e = assertThrows(BadConfigurationException.class, () -> VnetMode.parse("MANAGED_NOVLAN"));
    assertTrue(e.getMessage().contains("VNET_MODE=\"MANAGED_NOVLAN\""), e.getMessage());
    assertTrue(e.getMessage().contains("MANAGED-NOVLAN"), e.getMessage());
  }

  @Test
  void managedIsAModeOfItsOwn() {
    assertEquals(VnetMode.MANAGED, VnetMode.parse("managed"));
    assertEquals("MANAGED", VnetMode.MANAGED.confValue());
  }

  @Test
  void theGuidesMisspellingsAreReadWithAWarningNamingTheRightKey() {
    VnetKeys k = VnetKeys.of(EucalyptusConf.of(Map.of("VNET_DHCPUSE", "dhcpd", "VNET_ADDRSPPERNET", "64",
        "VNET_DHCPSERVER", "/usr/sbin/dhcpd3")));
    assertEquals("dhcpd", k.get("VNET_DHCPUSER", null));
    assertEquals("64", k.get("VNET_ADDRSPERNET", null));
    assertEquals("/usr/sbin/dhcpd3", k.get("VNET_DHCPDAEMON", null));
    List<String> w = k.warnings();
    assertEquals(3, w.size(), w.toString());
    assertTrue(w.stream().anyMatch(s -> s.contains("VNET_ADDRSPPERNET is a misspelling of VNET_ADDRSPERNET")), w.toString());
    assertTrue(w.stream().anyMatch(s -> s.contains("VNET_DHCPUSE is a misspelling of VNET_DHCPUSER")), w.toString());
    assertTrue(w.stream().anyMatch(s -> s.contains("VNET_DHCPSERVER is a misspelling of VNET_DHCPDAEMON")), w.toString());
  }

  @Test
  void theRightKeyWinsOverItsMisspelling() {
    VnetKeys k = VnetKeys.of(EucalyptusConf.of(Map.of("VNET_ADDRSPERNET", "32", "VNET_ADDRSPPERNET", "64")));
    assertEquals("32", k.get("VNET_ADDRSPERNET", null));
    assertTrue(k.warnings().get(0).contains("is ignored"), k.warnings().toString());
  }

  @Test
  void blankValuesCountAsUnset() {
    VnetKeys k = VnetKeys.of(EucalyptusConf.parse("VNET_SUBNET=\"\"\nVNET_DNS=\"  \"\n"));
    assertTrue(k.find("VNET_SUBNET").isEmpty());
    assertTrue(k.find("VNET_DNS").isEmpty());
    assertTrue(k.warnings().isEmpty());
  }
}
