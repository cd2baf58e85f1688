package com.eucalyptus.runtime.network.transport;

import java.util.List;

/**
 * How VNET_MODE=MANAGED carries one security group's network (its "vlan", the network index the
 * CLC gave the group) between the CC and the nodes: a bridge {@code eucabr<vlan>} on each host,
 * joined to the other hosts' bridges by an 802.1q interface ({@code vlan}, 1.5.2's way) or by a
 * unicast VXLAN interface ({@code vxlan}, ours). Chosen by VNET_TRANSPORT; the CC and every NC
 * build the same thing on their own host through this one interface.
 *
 * <p>Implementations shell out to {@code ip}/{@code bridge} through the runtime's command
 * runner; every method is idempotent, so a restarted daemon calls {@link #ensure} again for the
 * networks it had and nothing running is cut.
 */
public interface NetworkTransport {
  /** "vlan" or "vxlan": the VNET_TRANSPORT value. */
  String name();

  /**
   * Why this host cannot carry networks this way (e.g. "the kernel has no 8021q module ...
   * set VNET_TRANSPORT=\"vxlan\""), or null when it can. Asked once at daemon start; a non-null
   * answer stops the daemon.
   */
  String problem();

  /** The bridge that holds network {@code vlan} on this host: {@code eucabr<vlan>}. */
  default String bridgeName(int vlan) {
    return "eucabr" + vlan;
  }

  /**
   * Makes network {@code vlan} exist on this host: the bridge, the link to the other hosts on it,
   * and (vxlan) one forwarding entry per peer, replacing stale ones. Returns the bridge's name.
   *
   * @param peers the underlay addresses of every other host carrying the network (the CC and the
   *     other nodes); ignored by vlan, which reaches them through the switch
   */
  String ensure(int vlan, List<String> peers) throws TransportException;

  /** Removes network {@code vlan}'s bridge and link from this host; nothing to remove is fine. */
  void remove(int vlan) throws TransportException;

  /**
   * The MTU guests on this transport must use (what DHCP hands them as interface-mtu), or 0 when
   * they keep their default: vxlan takes 50 bytes of the underlay's MTU.
   */
  int guestMtu();

  /**
   * This host's own address on the underlay (VNET_LOCALIP, by default the underlay interface's
   * first IPv4 address), which the other hosts use as this one's peer address; null when the
   * transport does not need one (vlan on an interface without an address).
   */
  default String localAddress() {
    return null;
  }

  /** The UDP port the transport's peers listen on (vxlan: 4789), or 0 when it has none (vlan). */
  default int port() {
    return 0;
  }

  /** A host-side command failed: the message names the command and its output. */
  final class TransportException extends Exception {
    public TransportException(String message) {
      super(message);
    }

    public TransportException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
