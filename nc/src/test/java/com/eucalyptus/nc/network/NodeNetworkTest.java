package com.eucalyptus.nc.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.network.VnetMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeNetworkTest {
  @TempDir
  Path sys;

  @Test
  void theModeIsCheckedAtStartAsOnTheCc() {
    assertEquals(VnetMode.SYSTEM, NodeNetwork.fromConf(EucalyptusConf.of(Map.of())).mode());
    assertEquals(VnetMode.MANAGED_NOVLAN,
        NodeNetwork.fromConf(EucalyptusConf.of(Map.of("VNET_MODE", "MANAGED-NOVLAN", "VNET_BRIDGE", "br0"))).mode());
    String unknown = assertThrows(BadConfigurationException.class,
        () -> NodeNetwork.fromConf(EucalyptusConf.of(Map.of("VNET_MODE", "NOVLAN")))).getMessage();
    assertTrue(unknown.contains("VNET_MODE=\"NOVLAN\""), unknown);
    String managed = assertThrows(BadConfigurationException.class,
        () -> NodeNetwork.fromConf(EucalyptusConf.of(Map.of("VNET_MODE", "MANAGED", "VNET_INTERFACE", "eth0")))).getMessage();
    assertTrue(managed.contains("not implemented yet"), managed);
  }

  @Test
  void theNodeControllerDoesNotStartWithAnUnknownMode() {
    String m = assertThrows(BadConfigurationException.class, () -> com.eucalyptus.nc.NodeControllerMain.start(
        com.eucalyptus.runtime.config.EucaPaths.at(sys), EucalyptusConf.of(Map.of("VNET_MODE", "MANAGED")))).getMessage();
    assertTrue(m.contains("VNET_MODE=\"MANAGED\" is not implemented yet"), m);
  }

  @Test
  void staticAndManagedNoVlanNeedTheBridge() {
    String m = assertThrows(BadConfigurationException.class,
        () -> NodeNetwork.fromConf(EucalyptusConf.of(Map.of("VNET_MODE", "STATIC")))).getMessage();
    assertTrue(m.contains("VNET_BRIDGE is not set"), m);
    assertNull(NodeNetwork.fromConf(EucalyptusConf.of(Map.of("VNET_MODE", "SYSTEM"))).bridge());
  }

  @Test
  void startNetworkSaysWhetherTheBridgeIsThere() throws Exception {
    Files.createDirectories(sys.resolve("br0/bridge"));
    Files.createDirectories(sys.resolve("eth0"));
    assertEquals("SUCCESS", new NodeNetwork(VnetMode.MANAGED_NOVLAN, "br0", sys).startNetwork(2));
    String notBridge = new NodeNetwork(VnetMode.MANAGED_NOVLAN, "eth0", sys).startNetwork(2);
    assertTrue(notBridge.startsWith("FAIL: VNET_BRIDGE eth0 is not a bridge"), notBridge);
    String missing = new NodeNetwork(VnetMode.STATIC, "br9", sys).startNetwork(0);
    assertTrue(missing.startsWith("FAIL: VNET_BRIDGE br9 does not exist"), missing);
  }

  @Test
  void theMachinesOwnLoopbackIsNoBridge() {
    // the real /sys/class/net: lo exists everywhere and is never a bridge
    String lo = new NodeNetwork(VnetMode.SYSTEM, "lo", Path.of("/sys/class/net")).startNetwork(0);
    assertTrue(lo.startsWith("FAIL: VNET_BRIDGE lo is not a bridge"), lo);
  }
}
