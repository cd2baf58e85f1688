package com.eucalyptus.runtime.network.transport;

import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.runtime.network.transport.IpLinks.Link;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What both transports share: network {@code vlan} is one link ({@link #linkName}) to the other
 * hosts, enslaved to the bridge {@code eucabr<vlan>}; only how that link is made differs. Holds
 * the bridge half (make the bridge, put the link on it, remove both) so vlan and vxlan cannot
 * drift apart there.
 */
abstract class BridgedTransport implements NetworkTransport {
  /** Named after the concrete transport, so its log lines keep their category. */
  final Logger log = LogManager.getLogger(getClass());
  final CommandRunner runner;
  final String underlayKey;
  final String underlay;
  final String localAddress;

  /**
   * @param underlayKey the key that named the underlay (VNET_INTERFACE on a node, VNET_PRIVINTERFACE on the CC)
   * @param underlay the interface towards the other hosts
   * @param localAddress this host's address there (VNET_LOCALIP), or null
   */
  BridgedTransport(CommandRunner runner, String underlayKey, String underlay, String localAddress) {
    this.runner = runner;
    this.underlayKey = underlayKey;
    this.underlay = underlay;
    this.localAddress = localAddress;
  }

  /** The link that joins network {@code vlan}'s bridge to the other hosts. */
  public abstract String linkName(int vlan);

  /** Refuses a network index this transport cannot carry. */
  abstract void check(int vlan) throws TransportException;

  /** Makes network {@code vlan}'s bridge exist and be up; a link of that name that is not a bridge is refused. */
  final void ensureBridge(Map<String, Link> links, int vlan) throws TransportException {
    String bridge = bridgeName(vlan);
    Link b = links.get(bridge);
    if (b != null && !b.isBridge()) {
      throw new TransportException(bridge + " exists on this host and is not a bridge");
    }
    if (b == null) {
      IpLinks.run(runner, List.of("ip", "link", "add", bridge, "address", bridgeMac(host(), vlan), "type",
          "bridge"));
    }
    if (b == null || !b.up()) {
      IpLinks.run(runner, List.of("ip", "link", "set", bridge, "up"));
    }
  }

  /**
   * The bridge's own MAC address, fixed for this host and network. Left to itself a bridge takes
   * the address of a port, so a link made again (a daemon restarted after its VXLAN went away, a
   * rebooted host) would change the CC's router address under the guests' ARP caches and cut them
   * off until those expire. Locally administered, unicast, and different per host and per network.
   */
  static String bridgeMac(String host, int vlan) {
    byte[] h;
    try {
      h = java.security.MessageDigest.getInstance("SHA-256")
          .digest(("eucabr/" + host + "/" + vlan).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
    StringBuilder mac = new StringBuilder("02");
    for (int i = 0; i < 5; i++) {
      mac.append(':').append(String.format("%02x", h[i] & 0xff));
    }
    return mac.toString();
  }

  /** What tells this host apart in {@link #bridgeMac}: its underlay address, else its underlay interface. */
  final String host() {
    return localAddress != null ? localAddress : underlay;
  }

  /** Puts {@code link} (as it was before, or null when just made) on {@code bridge} and brings it up. */
  final void attach(Link before, String link, String bridge) throws TransportException {
    if (before == null || !bridge.equals(before.master())) {
      IpLinks.run(runner, List.of("ip", "link", "set", link, "master", bridge));
    }
    if (before == null || !before.up()) {
      IpLinks.run(runner, List.of("ip", "link", "set", link, "up"));
    }
  }

  @Override
  public final void remove(int vlan) throws TransportException {
    check(vlan);
    Map<String, Link> links = IpLinks.read(runner);
    List<String> gone = new ArrayList<>();
    for (String name : List.of(linkName(vlan), bridgeName(vlan))) {
      if (links.containsKey(name)) {
        IpLinks.run(runner, List.of("ip", "link", "del", name));
        gone.add(name);
      }
    }
    log.info("network {}: removed {}", vlan, gone.isEmpty() ? "nothing (not there)" : String.join(" and ", gone));
  }

  @Override
  public final String localAddress() {
    return localAddress;
  }
}
