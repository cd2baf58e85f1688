package com.eucalyptus.cc.nodes;

import java.util.List;

/** ncStartNetwork and ncStopNetwork on one NC. The SOAP implementation is {@link SoapNodeClient}. */
public interface NodeNetworkClient {
  /**
   * Asks the node to get the guests' network of index {@code vlan} ready (in SYSTEM, STATIC and
   * MANAGED-NOVLAN: that VNET_BRIDGE exists; in MANAGED: the network's bridge and link, joined to
   * {@code remoteHosts}); returns its networkStatus ("SUCCESS" or "FAIL…"). An answer with
   * return=false is an exception carrying the node's statusMessage.
   *
   * @param remoteHosts the other hosts carrying the network (1.5.2: "localhost")
   * @param remoteHostPort their port (1.5.2: 1234; MANAGED over vxlan: the VXLAN UDP port)
   */
  String startNetwork(NodeEndpoint node, int vlan, List<String> remoteHosts, int remoteHostPort) throws Exception;

  /** MANAGED: the network of index {@code vlan} has no instance left; the node takes its bridge and link away. */
  String stopNetwork(NodeEndpoint node, int vlan) throws Exception;
}
