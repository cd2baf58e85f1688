package com.eucalyptus.cc.nodes;

/** Asks one NC for its resources. The SOAP implementation is {@link SoapNodeClient}. */
public interface NodeClient {
  /** The node's answer and the certificate its reply was signed with (null when unsigned). */
  Answer describeResource(NodeEndpoint node) throws Exception;

  record Answer(NodeState.NodeCapacity capacity, java.security.cert.X509Certificate signer) {
  }
}
