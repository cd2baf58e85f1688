package com.eucalyptus.runtime.network.transport;

import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.runtime.network.transport.IpLinks.Link;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * 1.5.2's MANAGED transport: network {@code vlan} is 802.1q vlan {@code vlan} of the underlay
 * interface ({@code <if>.<vlan>}, made with {@code ip link add … type vlan}, which is what
 * vconfig did), on the bridge {@code eucabr<vlan>}. The switch between the hosts carries the
 * tagged frames, so there are no peers to know. Needs the kernel's 8021q module.
 */
public final class VlanTransport extends BridgedTransport {
  /** The largest 802.1q vlan id (4095 is reserved). */
  static final int MAX_VLAN = 4094;
  private final Path procNetVlan;
  private final Path sysModule8021q;

  /**
   * @param underlayKey the key that named the underlay (VNET_INTERFACE on a node, VNET_PRIVINTERFACE on the CC)
   * @param underlay the interface that carries the tagged frames
   * @param localAddress this host's address there (VNET_LOCALIP), or null
   */
  public VlanTransport(CommandRunner runner, String underlayKey, String underlay, String localAddress) {
    this(runner, underlayKey, underlay, localAddress, Path.of("/proc/net/vlan"), Path.of("/sys/module/8021q"));
  }

  /** With the places that tell whether the kernel has 8021q (its proc folder once loaded, or its module folder). */
  VlanTransport(CommandRunner runner, String underlayKey, String underlay, String localAddress, Path procNetVlan,
      Path sysModule8021q) {
    super(runner, underlayKey, underlay, localAddress);
    this.procNetVlan = procNetVlan;
    this.sysModule8021q = sysModule8021q;
  }

  @Override
  public String name() {
    return "vlan";
  }

  /**
   * The kernel must have 8021q: loaded (or built in: /proc/net/vlan exists), else {@code modprobe
   * 8021q} is tried once. Without it no vlan interface can be made, which the administrator must
   * hear at start rather than at the first StartNetwork.
   */
  @Override
  public String problem() {
    if (has8021q()) {
      return null;
    }
    runner.run(List.of("modprobe", "8021q")); // logged by the runner whatever its outcome
    if (has8021q()) {
      log.info("loaded the kernel's 8021q module for VNET_TRANSPORT=\"vlan\"");
      return null;
    }
    return "VNET_TRANSPORT=\"vlan\" needs the kernel's 802.1q vlan support (module 8021q), which this kernel does "
        + "not have (no /proc/net/vlan, and modprobe 8021q failed): load it, or set VNET_TRANSPORT=\"vxlan\" in "
        + "eucalyptus.conf on the CC and on every node";
  }

  private boolean has8021q() {
    return Files.isDirectory(procNetVlan) || Files.isDirectory(sysModule8021q);
  }

  /** The vlan interface of network {@code vlan}: {@code <if>.<vlan>}, as vconfig named it. */
  @Override
  public String linkName(int vlan) {
    return underlay + "." + vlan;
  }

  @Override
  public String ensure(int vlan, List<String> peers) throws TransportException {
    check(vlan);
    String bridge = bridgeName(vlan);
    String link = linkName(vlan);
    if (link.length() > 15) {
      throw new TransportException("the vlan interface name " + link + " is longer than the kernel's 15 characters ("
          + underlayKey + "=\"" + underlay + "\" is too long for vlan " + vlan + ")");
    }
    Map<String, Link> links = IpLinks.read(runner);
    ensureBridge(links, vlan);
    Link l = links.get(link);
    if (l == null) {
      IpLinks.run(runner, List.of("ip", "link", "add", "link", underlay, "name", link, "type", "vlan", "id",
          String.valueOf(vlan)));
    }
    attach(l, link, bridge);
    if (l == null) {
      log.info("network {}: {} on {} (vlan {} of {})", vlan, link, bridge, vlan, underlay);
    }
    return bridge;
  }

  @Override
  void check(int vlan) throws TransportException {
    if (vlan < 1 || vlan > MAX_VLAN) {
      throw new TransportException("network index " + vlan + " is not an 802.1q vlan id (1 to " + MAX_VLAN
          + "); VNET_TRANSPORT=\"vxlan\" has no such limit");
    }
  }

  /** Guests keep their MTU: the tag is carried by the switch. */
  @Override
  public int guestMtu() {
    return 0;
  }
}
