package com.eucalyptus.cc.network.model;

import java.util.List;
import java.util.Map;

/**
 * What the front end's network must look like for the MANAGED modes, all of it: the private
 * subnet (VNET_SUBNET/VNET_NETMASK), the interface the guests' network reaches the CC by
 * (VNET_PRIVINTERFACE: router addresses, dhcpd) and the public one (VNET_PUBINTERFACE: the
 * elastic addresses), the active networks, every group's rules, every address of the public pool
 * (the free ones with a null private address), where 169.254.169.254:80 goes ({@code host:port}
 * of the CLC's metadata service, null for nowhere), and the interface that holds each network's
 * router address when it is not the private interface ({@code routerInterfaces}, by network index:
 * MANAGED's bridge {@code eucabr<vlan>}; empty in MANAGED-NOVLAN, where every router is on the
 * private interface). {@link com.eucalyptus.cc.network.host.HostNetwork} makes the host match it.
 */
public record HostNetworkPlan(Ipv4Block subnet, String privateInterface, String publicInterface,
    List<ActiveNetwork> networks, Map<GroupRef, List<IngressRule>> rules, List<PublicAssignment> publicAddresses,
    String metadataTarget, Map<Integer, String> routerInterfaces) {
  public HostNetworkPlan {
    networks = List.copyOf(networks);
    rules = Map.copyOf(rules);
    publicAddresses = List.copyOf(publicAddresses);
    routerInterfaces = routerInterfaces == null ? Map.of() : Map.copyOf(routerInterfaces);
  }

  /** Every router on the private interface (MANAGED-NOVLAN). */
  public HostNetworkPlan(Ipv4Block subnet, String privateInterface, String publicInterface, List<ActiveNetwork> networks,
      Map<GroupRef, List<IngressRule>> rules, List<PublicAssignment> publicAddresses, String metadataTarget) {
    this(subnet, privateInterface, publicInterface, networks, rules, publicAddresses, metadataTarget, Map.of());
  }

  /** The interface that holds network {@code vlan}'s router address. */
  public String routerInterface(int vlan) {
    return routerInterfaces.getOrDefault(vlan, privateInterface);
  }
}
