package com.eucalyptus.cc.network.model;

import java.util.List;
import java.util.Map;

/**
 * What the front end's network must look like for the MANAGED modes, all of it: the private
 * subnet (VNET_SUBNET/VNET_NETMASK), the interface the guests' network reaches the CC by
 * (VNET_PRIVINTERFACE: router addresses, dhcpd) and the public one (VNET_PUBINTERFACE: the
 * elastic addresses), the active networks, every group's rules, every address of the public pool
 * (the free ones with a null private address), and where 169.254.169.254:80 goes ({@code host:port}
 * of the CLC's metadata service, null for nowhere). {@link com.eucalyptus.cc.network.host.HostNetwork}
 * makes the host match it.
 */
public record HostNetworkPlan(Ipv4Block subnet, String privateInterface, String publicInterface,
    List<ActiveNetwork> networks, Map<GroupRef, List<IngressRule>> rules, List<PublicAssignment> publicAddresses,
    String metadataTarget) {
  public HostNetworkPlan {
    networks = List.copyOf(networks);
    rules = Map.copyOf(rules);
    publicAddresses = List.copyOf(publicAddresses);
  }
}
