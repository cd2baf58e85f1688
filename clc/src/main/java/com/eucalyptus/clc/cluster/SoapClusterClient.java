package com.eucalyptus.clc.cluster;

import com.eucalyptus.runtime.soap.KeySource;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.wsdl.cc.EucalyptusCCStub;
import com.eucalyptus.wsdl.cc.types.DescribeResources;
import com.eucalyptus.wsdl.cc.types.DescribeResourcesResponseType;
import com.eucalyptus.wsdl.cc.types.DescribeResourcesType;
import com.eucalyptus.wsdl.cc.types.ResourceType;
import com.eucalyptus.wsdl.cc.types.VirtualMachineType;
import com.eucalyptus.wsdl.gl.EucalyptusGLStub;
import com.eucalyptus.wsdl.gl.types.GetKeys;
import com.eucalyptus.wsdl.gl.types.GetKeysResponseType;
import com.eucalyptus.wsdl.gl.types.GetKeysType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** The CLC→CC hop: signed with cloud-pk.pem, replies checked against cluster-cert.pem. */
public final class SoapClusterClient implements ClusterClient {
  private final KeySource keys;
  private final Duration timeout;

  /** @param keys null when ENABLE_WS_SECURITY="N" */
  public SoapClusterClient(KeySource keys, Duration timeout) {
    this.keys = keys;
    this.timeout = timeout;
  }

  private static String url(String host, int port, String service) {
    return "http://" + host + ":" + port + "/axis2/services/" + service;
  }

  @Override
  public Resources describeResources(String host, int port, List<VmType> types) throws Exception {
    EucalyptusCCStub stub = SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(),
        url(host, port, "EucalyptusCC")), keys == null ? null : keys.current(), timeout);
    try {
      DescribeResourcesType t = new DescribeResourcesType();
      t.setCorrelationId(UUID.randomUUID().toString());
      t.setUserId("eucalyptus");
      for (VmType v : types) {
        VirtualMachineType vm = new VirtualMachineType();
        vm.setName(v.name());
        vm.setCores(v.cpu());
        vm.setMemory(v.memory());
        vm.setDisk(v.disk());
        t.addInstanceTypes(vm);
      }
      DescribeResources req = new DescribeResources();
      req.setDescribeResources(t);
      DescribeResourcesResponseType r = stub.describeResources(req).getDescribeResourcesResponse();
      List<TypeCount> counts = new ArrayList<>();
      if (r.getResources() != null) {
        for (ResourceType rt : r.getResources()) {
          counts.add(new TypeCount(rt.getInstanceType().getName(), rt.getAvailableInstances(), rt.getMaxInstances()));
        }
      }
      List<String> tags = r.getServiceTags() == null ? List.of() : List.of(r.getServiceTags());
      return new Resources(counts, tags, SoapClients.lastReplySigner(stub));
    } finally {
      stub._getServiceClient().cleanupTransport();
    }
  }

  @Override
  public Keys getKeys(String host, int port, String serviceTag) throws Exception {
    EucalyptusGLStub stub = SoapClients.secure(new EucalyptusGLStub(SoapClients.clientContext(),
        url(host, port, "EucalyptusGL")), keys == null ? null : keys.current(), timeout);
    try {
      GetKeysType t = new GetKeysType();
      t.setCorrelationId(UUID.randomUUID().toString());
      t.setServiceTag(serviceTag);
      GetKeys req = new GetKeys();
      req.setGetKeys(t);
      GetKeysResponseType r = stub.getKeys(req).getGetKeysResponse();
      return new Keys(decode(r.getCCcert()), decode(r.getNCcert()));
    } finally {
      stub._getServiceClient().cleanupTransport();
    }
  }

  private static String decode(String b64) {
    return b64 == null || b64.isEmpty() ? "" : new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII);
  }
}
