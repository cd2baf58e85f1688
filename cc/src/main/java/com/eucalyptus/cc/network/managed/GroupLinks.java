package com.eucalyptus.cc.network.managed;

import com.eucalyptus.cc.network.NetworkRefusal;
import java.util.List;

/**
 * What differs between the two MANAGED modes on the front end: where each active network meets
 * the CC. MANAGED-NOVLAN: every network on VNET_PRIVINTERFACE ({@link SharedInterface}). MANAGED:
 * each network on a bridge of its own, joined to the nodes by VNET_TRANSPORT ({@link TransportBridges}).
 * Everything else (the address plan, dhcpd, the chains, the NAT, metadata) is the same.
 */
public interface GroupLinks {
  /** The interface that holds network {@code vlan}'s router address, where dhcpd serves its guests. */
  String interfaceOf(int vlan);

  /** Makes network {@code vlan}'s link to the guests exist here (idempotent); before its router is added. */
  void ensure(int vlan) throws NetworkRefusal;

  /** Takes network {@code vlan}'s link away (StopNetwork); nothing there is fine. */
  void remove(int vlan) throws NetworkRefusal;

  /** The MTU dhcpd hands the guests ({@code option interface-mtu}), or 0 for none. */
  int guestMtu();

  /** Whether every network is on the same interface (dhcpd's one shared network). */
  boolean oneSegment();

  /**
   * ncStartNetwork's remoteHosts for the node {@code nodeHost} (as NODES names it): the other hosts
   * carrying the networks.
   */
  List<String> remoteHosts(String nodeHost);

  /** ncStartNetwork's remoteHostPort. */
  int remoteHostPort();

  /** Whether StopNetwork also goes to the nodes (ncStopNetwork): they have a link per network to take away. */
  boolean perNetworkOnNodes();
}
