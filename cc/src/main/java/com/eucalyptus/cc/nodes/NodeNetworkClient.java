package com.eucalyptus.cc.nodes;

/** ncStartNetwork on one NC. The SOAP implementation is {@link SoapNodeClient}. */
public interface NodeNetworkClient {
  /**
   * Asks the node to get the guests' network of index {@code vlan} ready (in SYSTEM, STATIC and
   * MANAGED-NOVLAN: that VNET_BRIDGE exists); returns its networkStatus ("SUCCESS" or "FAIL").
   * An answer with return=false is an exception carrying the node's statusMessage.
   */
  String startNetwork(NodeEndpoint node, int vlan) throws Exception;
}
