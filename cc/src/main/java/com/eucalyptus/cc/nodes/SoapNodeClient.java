package com.eucalyptus.cc.nodes;

import com.eucalyptus.runtime.soap.KeySource;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.wsdl.nc.EucalyptusNCStub;
import com.eucalyptus.wsdl.nc.types.NcDescribeResource;
import com.eucalyptus.wsdl.nc.types.NcDescribeResourceResponseType;
import com.eucalyptus.wsdl.nc.types.NcDescribeResourceType;
import java.time.Duration;
import java.util.UUID;

/** ncDescribeResource over the signed CC→NC hop (cluster-pk.pem, trusting node-cert.pem). */
public final class SoapNodeClient implements NodeClient {
  private final KeySource keys;
  private final Duration timeout;

  /** @param keys the CC's keys and the node certificate, or null when ENABLE_WS_SECURITY="N" */
  public SoapNodeClient(KeySource keys, Duration timeout) {
    this.keys = keys;
    this.timeout = timeout;
  }

  @Override
  public Answer describeResource(NodeEndpoint node) throws Exception {
    EucalyptusNCStub stub = SoapClients.secure(new EucalyptusNCStub(SoapClients.clientContext(), node.url()),
        keys == null ? null : keys.current(), timeout);
    try {
      NcDescribeResourceType t = new NcDescribeResourceType();
      t.setCorrelationId(UUID.randomUUID().toString());
      t.setUserId("eucalyptus");
      NcDescribeResource req = new NcDescribeResource();
      req.setNcDescribeResource(t);
      NcDescribeResourceResponseType r = stub.ncDescribeResource(req).getNcDescribeResourceResponse();
      return new Answer(new NodeState.NodeCapacity(r.getMemorySizeMax(), r.getMemorySizeAvailable(), r.getDiskSizeMax(),
          r.getDiskSizeAvailable(), r.getNumberOfCoresMax(), r.getNumberOfCoresAvailable()),
          SoapClients.lastReplySigner(stub));
    } finally {
      stub._getServiceClient().cleanupTransport();
    }
  }
}
