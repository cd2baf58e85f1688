package com.eucalyptus.runtime.network.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vlan transport. The machines these tests run on have no 8021q in their kernel, so the real
 * vlan path cannot run here (docs/network.md says so): these tests check the exact commands the
 * command runner receives (RecordingCommandRunner, the one stand-in, for that missing kernel
 * feature), and the refusal at start when the kernel has no 8021q.
 */
class VlanTransportTest {
  @TempDir
  Path dir;

  /** What {@code ip -o -d link show} prints with eth1 only, and with network 5's links made. */
  static final String ONLY_ETH1 = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT "
      + "group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0\n"
      + "2: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default "
      + "qlen 1000\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff promiscuity 0\n";
  static final String WITH_NETWORK_5 = ONLY_ETH1
      + "3: eucabr5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default "
      + "qlen 1000\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff promiscuity 0 \\    bridge forward_delay "
      + "1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768\n"
      + "4: eth1.5@eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master eucabr5 state UP mode "
      + "DEFAULT group default qlen 1000\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff promiscuity 1 \\    "
      + "vlan protocol 802.1Q id 5 <REORDER_HDR> \\    bridge_slave state forwarding priority 32 cost 4\n";

  VlanTransport transport(RecordingCommandRunner runner) {
    return new VlanTransport(runner, "VNET_INTERFACE", "eth1", "10.0.0.5", dir.resolve("proc-net-vlan"),
        dir.resolve("sys-module-8021q"));
  }

  @Test
  void creatingANetworkMakesTheBridgeAndTheVlanInterfaceOnIt() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner().answer("ip -o -d link show", 0, ONLY_ETH1);
    assertEquals("eucabr5", transport(runner).ensure(5, List.of("10.0.0.1", "10.0.0.7")));
    assertEquals(List.of(
        "ip -o -d link show",
        "ip link add eucabr5 address " + BridgedTransport.bridgeMac("10.0.0.5", 5) + " type bridge",
        "ip link set eucabr5 up",
        "ip link add link eth1 name eth1.5 type vlan id 5",
        "ip link set eth1.5 master eucabr5",
        "ip link set eth1.5 up"), runner.commands);
  }

  /** A bridge made again gets the same address (the guests' ARP caches stay right); hosts and networks differ. */
  @Test
  void theBridgeAddressIsFixedPerHostAndNetworkLocallyAdministeredAndUnicast() {
    String mac = BridgedTransport.bridgeMac("10.0.0.5", 5);
    assertTrue(mac.matches("02(:[0-9a-f]{2}){5}"), mac);
    assertEquals(mac, BridgedTransport.bridgeMac("10.0.0.5", 5));
    assertNotEquals(mac, BridgedTransport.bridgeMac("10.0.0.6", 5));
    assertNotEquals(mac, BridgedTransport.bridgeMac("10.0.0.5", 6));
  }

  @Test
  void ensuringAnExistingNetworkChangesNothing() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner().answer("ip -o -d link show", 0, WITH_NETWORK_5);
    assertEquals("eucabr5", transport(runner).ensure(5, List.of()));
    assertEquals(List.of("ip -o -d link show"), runner.commands);
  }

  @Test
  void removingANetworkDeletesTheVlanInterfaceThenTheBridge() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner().answer("ip -o -d link show", 0, WITH_NETWORK_5);
    transport(runner).remove(5);
    assertEquals(List.of("ip -o -d link show", "ip link del eth1.5", "ip link del eucabr5"), runner.commands);
    RecordingCommandRunner none = new RecordingCommandRunner().answer("ip -o -d link show", 0, ONLY_ETH1);
    transport(none).remove(5);
    assertEquals(List.of("ip -o -d link show"), none.commands, "nothing there: nothing deleted");
  }

  @Test
  void aFailingCommandIsReportedWithTheCommandAndStopsTheRest() {
    RecordingCommandRunner runner = new RecordingCommandRunner().answer("ip -o -d link show", 0, ONLY_ETH1)
        .answer("ip link add link eth1 name eth1.5 type vlan id 5", 2, "");
    Exception e = assertThrows(NetworkTransport.TransportException.class, () -> transport(runner).ensure(5, List.of()));
    assertTrue(e.getMessage().contains("ip link add link eth1 name eth1.5 type vlan id 5 failed with exit code 2"),
        e.getMessage());
    assertEquals("ip link add link eth1 name eth1.5 type vlan id 5", runner.commands.get(runner.commands.size() - 1));
  }

  @Test
  void vlanIdsEndAt4094AndALinkThatIsNotABridgeIsNotTaken() {
    RecordingCommandRunner runner = new RecordingCommandRunner().answer("ip -o -d link show", 0,
        ONLY_ETH1 + "3: eucabr7: <BROADCAST,MULTICAST,UP> mtu 1500 qdisc noop state DOWN\\    link/ether "
            + "52:54:00:12:34:57 brd ff:ff:ff:ff:ff:ff \\    veth addrgenmode eui64\n");
    Exception big = assertThrows(NetworkTransport.TransportException.class, () -> transport(runner).ensure(4095, List.of()));
    assertTrue(big.getMessage().contains("VNET_TRANSPORT=\"vxlan\""), big.getMessage());
    Exception notBridge = assertThrows(NetworkTransport.TransportException.class,
        () -> transport(runner).ensure(7, List.of()));
    assertEquals("eucabr7 exists on this host and is not a bridge", notBridge.getMessage());
  }

  @Test
  void aKernelWithout8021qIsRefusedNamingVxlanAfterOneModprobe() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner().answer("modprobe 8021q", 1, "");
    String problem = transport(runner).problem();
    assertEquals("VNET_TRANSPORT=\"vlan\" needs the kernel's 802.1q vlan support (module 8021q), which this kernel does "
        + "not have (no /proc/net/vlan, and modprobe 8021q failed): load it, or set VNET_TRANSPORT=\"vxlan\" in "
        + "eucalyptus.conf on the CC and on every node", problem);
    assertEquals(List.of("modprobe 8021q"), runner.commands);
  }

  @Test
  void aKernelWith8021qIsFine() throws Exception {
    Files.createDirectories(dir.resolve("proc-net-vlan"));
    RecordingCommandRunner runner = new RecordingCommandRunner();
    assertNull(transport(runner).problem());
    assertEquals(List.of(), runner.commands, "loaded already: no modprobe");
  }

  @Test
  void thisMachinesKernelIsJudgedByWhatItHas() {
    // the real check, on this machine (no modprobe run: a test must not load kernel modules)
    boolean has = Files.isDirectory(Path.of("/proc/net/vlan")) || Files.isDirectory(Path.of("/sys/module/8021q"));
    RecordingCommandRunner runner = new RecordingCommandRunner().answer("modprobe 8021q", 1, "");
    String problem = new VlanTransport(runner, "VNET_INTERFACE", "eth1", null).problem();
    assertEquals(has, problem == null, String.valueOf(problem));
  }
}
