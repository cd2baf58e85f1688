package com.eucalyptus.clc.cluster;

import com.eucalyptus.runtime.soap.KeySource;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.wsdl.cc.EucalyptusCCStub;
import com.eucalyptus.wsdl.cc.types.CcInstanceType;
import com.eucalyptus.wsdl.cc.types.AssignAddress;
import com.eucalyptus.wsdl.cc.types.AttachVolume;
import com.eucalyptus.wsdl.cc.types.AttachVolumeType;
import com.eucalyptus.wsdl.cc.types.DetachVolume;
import com.eucalyptus.wsdl.cc.types.DetachVolumeType;
import com.eucalyptus.wsdl.cc.types.VolumeType;
import com.eucalyptus.wsdl.cc.types.AssignAddressType;
import com.eucalyptus.wsdl.cc.types.ConfigureNetwork;
import com.eucalyptus.wsdl.cc.types.ConfigureNetworkType;
import com.eucalyptus.wsdl.cc.types.DescribePublicAddresses;
import com.eucalyptus.wsdl.cc.types.DescribePublicAddressesResponseType;
import com.eucalyptus.wsdl.cc.types.DescribePublicAddressesType;
import com.eucalyptus.wsdl.cc.types.NetworkRule;
import com.eucalyptus.wsdl.cc.types.StartNetwork;
import com.eucalyptus.wsdl.cc.types.StartNetworkType;
import com.eucalyptus.wsdl.cc.types.StopNetwork;
import com.eucalyptus.wsdl.cc.types.StopNetworkType;
import com.eucalyptus.wsdl.cc.types.UnassignAddress;
import com.eucalyptus.wsdl.cc.types.UnassignAddressType;
import com.eucalyptus.wsdl.cc.types.DescribeInstances;
import com.eucalyptus.wsdl.cc.types.DescribeInstancesResponseType;
import com.eucalyptus.wsdl.cc.types.DescribeInstancesType;
import com.eucalyptus.wsdl.cc.types.DescribeResources;
import com.eucalyptus.wsdl.cc.types.GetConsoleOutput;
import com.eucalyptus.wsdl.cc.types.GetConsoleOutputResponseType;
import com.eucalyptus.wsdl.cc.types.GetConsoleOutputType;
import com.eucalyptus.wsdl.cc.types.NetConfigType;
import com.eucalyptus.wsdl.cc.types.RebootInstances;
import com.eucalyptus.wsdl.cc.types.RebootInstancesResponseType;
import com.eucalyptus.wsdl.cc.types.RebootInstancesType;
import com.eucalyptus.wsdl.cc.types.RunInstances;
import com.eucalyptus.wsdl.cc.types.RunInstancesResponseType;
import com.eucalyptus.wsdl.cc.types.RunInstancesType;
import com.eucalyptus.wsdl.cc.types.TerminateInstances;
import com.eucalyptus.wsdl.cc.types.TerminateInstancesResponseType;
import com.eucalyptus.wsdl.cc.types.TerminateInstancesType;
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
import java.time.Instant;
import java.util.Calendar;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    return onCc(host, port, stub -> {
      DescribeResourcesType t = new DescribeResourcesType();
      t.setCorrelationId(UUID.randomUUID().toString());
      t.setUserId("eucalyptus");
      for (VmType v : types) {
        t.addInstanceTypes(vm(v));
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
    });
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

  /** One call of the CC's EucalyptusCC service on a fresh signed stub, whose connection is released after it. */
  private <T> T onCc(String host, int port, CcCall<T> call) throws Exception {
    EucalyptusCCStub stub = SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(),
        url(host, port, "EucalyptusCC")), keys == null ? null : keys.current(), timeout);
    try {
      return call.on(stub);
    } finally {
      stub._getServiceClient().cleanupTransport();
    }
  }

  @FunctionalInterface
  private interface CcCall<T> {
    T on(EucalyptusCCStub stub) throws Exception;
  }

  private static VirtualMachineType vm(VmType v) {
    VirtualMachineType vm = new VirtualMachineType();
    vm.setName(v.name());
    vm.setCores(v.cpu());
    vm.setMemory(v.memory());
    vm.setDisk(v.disk());
    return vm;
  }

  @Override
  public Launched runInstances(String host, int port, Launch l) throws Exception {
    return onCc(host, port, stub -> {
      RunInstancesType t = new RunInstancesType();
      t.setCorrelationId(UUID.randomUUID().toString());
      t.setUserId(l.owner());
      t.setReservationId(l.reservationId());
      t.setInstanceIds(l.instanceIds().toArray(String[]::new));
      t.setMinCount(l.minCount());
      t.setMaxCount(l.instanceIds().size());
      t.setImageId(l.imageId());
      t.setImageURL(l.imageUrl());
      t.setKernelId(l.kernelId());
      t.setKernelURL(l.kernelUrl());
      if (l.ramdiskId() != null) {
        t.setRamdiskId(l.ramdiskId());
        t.setRamdiskURL(l.ramdiskUrl());
      }
      t.setInstanceType(vm(l.type()));
      if (l.keyText() != null && !l.keyText().isEmpty()) {
        t.setKeyName(l.keyText());
      }
      t.setUserData(l.userData() == null ? "" : l.userData());
      t.setLaunchIndex(String.valueOf(l.launchIndex()));
      if (!l.groupNames().isEmpty()) {
        t.setNetNames(l.groupNames().toArray(String[]::new));
      }
      t.setVlan(l.vlan());
      if (!l.macAddresses().isEmpty()) {
        t.setMacAddresses(l.macAddresses().toArray(String[]::new));
      }
      RunInstances req = new RunInstances();
      req.setRunInstances(t);
      RunInstancesResponseType r = stub.runInstances(req).getRunInstancesResponse();
      boolean ok = !r.is_returnSpecified() || r.get_return();
      return new Launched(ok, r.getStatusMessage(), reported(r.getInstances()));
    });
  }

  @Override
  public List<ReportedInstance> describeInstances(String host, int port, List<String> instanceIds) throws Exception {
    return onCc(host, port, stub -> {
      DescribeInstancesType t = new DescribeInstancesType();
      t.setCorrelationId(UUID.randomUUID().toString());
      t.setUserId("eucalyptus");
      if (!instanceIds.isEmpty()) {
        t.setInstanceIds(instanceIds.toArray(String[]::new));
      }
      DescribeInstances req = new DescribeInstances();
      req.setDescribeInstances(t);
      DescribeInstancesResponseType r = stub.describeInstances(req).getDescribeInstancesResponse();
      return reported(r.getInstances());
    });
  }

  @Override
  public List<Boolean> terminateInstances(String host, int port, List<String> instanceIds) throws Exception {
    return onCc(host, port, stub -> {
      TerminateInstancesType t = new TerminateInstancesType();
      t.setCorrelationId(UUID.randomUUID().toString());
      t.setUserId("eucalyptus");
      t.setInstanceIds(instanceIds.toArray(String[]::new));
      TerminateInstances req = new TerminateInstances();
      req.setTerminateInstances(t);
      TerminateInstancesResponseType r = stub.terminateInstances(req).getTerminateInstancesResponse();
      List<Boolean> out = new ArrayList<>();
      boolean[] done = r.getIsTerminated();
      for (int k = 0; k < instanceIds.size(); k++) {
        out.add(done != null && k < done.length && done[k]);
      }
      return out;
    });
  }

  @Override
  public boolean rebootInstances(String host, int port, List<String> instanceIds) throws Exception {
    return onCc(host, port, stub -> {
      RebootInstancesType t = new RebootInstancesType();
      t.setCorrelationId(UUID.randomUUID().toString());
      t.setUserId("eucalyptus");
      t.setInstanceIds(instanceIds.toArray(String[]::new));
      RebootInstances req = new RebootInstances();
      req.setRebootInstances(t);
      RebootInstancesResponseType r = stub.rebootInstances(req).getRebootInstancesResponse();
      return r.getStatus() && (!r.is_returnSpecified() || r.get_return());
    });
  }

  @Override
  public ConsoleOutput getConsoleOutput(String host, int port, String instanceId) throws Exception {
    return onCc(host, port, stub -> {
      GetConsoleOutputType t = new GetConsoleOutputType();
      t.setCorrelationId(UUID.randomUUID().toString());
      t.setUserId("eucalyptus");
      t.setInstanceId(instanceId);
      GetConsoleOutput req = new GetConsoleOutput();
      req.setGetConsoleOutput(t);
      GetConsoleOutputResponseType r = stub.getConsoleOutput(req).getGetConsoleOutputResponse();
      if ((r.is_returnSpecified() && !r.get_return()) || r.getConsoleOutput() == null) {
        return null;
      }
      return new ConsoleOutput(r.getConsoleOutput(), instant(r.getTimestamp()));
    });
  }

  // ------------------------------------------------------------------ networking

  private static <T extends com.eucalyptus.wsdl.cc.types.EucalyptusMessage> T message(T t, String userId) {
    t.setCorrelationId(UUID.randomUUID().toString());
    t.setUserId(userId);
    return t;
  }

  /** A CC that leaves out {@code return} agreed (as for the other calls). */
  private static Answer answer(com.eucalyptus.wsdl.cc.types.EucalyptusMessage r) {
    return new Answer(!r.is_returnSpecified() || r.get_return(), r.getStatusMessage());
  }

  @Override
  public Answer startNetwork(String host, int port, String owner, String netName, int vlan) throws Exception {
    return onCc(host, port, stub -> {
      StartNetworkType t = message(new StartNetworkType(), owner);
      t.setNetName(netName);
      t.setVlan(vlan);
      StartNetwork req = new StartNetwork();
      req.setStartNetwork(t);
      return answer(stub.startNetwork(req).getStartNetworkResponse());
    });
  }

  @Override
  public Answer stopNetwork(String host, int port, String owner, String netName, int vlan) throws Exception {
    return onCc(host, port, stub -> {
      StopNetworkType t = message(new StopNetworkType(), owner);
      t.setNetName(netName);
      t.setVlan(vlan);
      StopNetwork req = new StopNetwork();
      req.setStopNetwork(t);
      return answer(stub.stopNetwork(req).getStopNetworkResponse());
    });
  }

  @Override
  public Answer configureNetwork(String host, int port, String owner, List<NetRule> rules) throws Exception {
    return onCc(host, port, stub -> {
      ConfigureNetworkType t = message(new ConfigureNetworkType(), owner);
      for (NetRule r : rules) {
        NetworkRule n = new NetworkRule();
        n.setType(r.type());
        n.setDestName(r.destName());
        if (r.protocol() != null) {
          n.setProtocol(r.protocol());
          n.setPortRangeMin(r.portMin());
          n.setPortRangeMax(r.portMax());
        }
        if (!r.sourceNets().isEmpty()) {
          n.setSourceNets(r.sourceNets().toArray(String[]::new));
        }
        if (!r.userNames().isEmpty()) {
          n.setUserNames(r.userNames().toArray(String[]::new));
          n.setSourceNames(r.sourceNames().toArray(String[]::new));
        }
        t.addRules(n);
      }
      ConfigureNetwork req = new ConfigureNetwork();
      req.setConfigureNetwork(t);
      return answer(stub.configureNetwork(req).getConfigureNetworkResponse());
    });
  }

  @Override
  public Answer assignAddress(String host, int port, String publicIp, String privateIp) throws Exception {
    return onCc(host, port, stub -> {
      AssignAddressType t = message(new AssignAddressType(), "eucalyptus");
      t.setSource(publicIp);
      t.setDest(privateIp);
      AssignAddress req = new AssignAddress();
      req.setAssignAddress(t);
      return answer(stub.assignAddress(req).getAssignAddressResponse());
    });
  }

  @Override
  public Answer unassignAddress(String host, int port, String publicIp, String privateIp) throws Exception {
    return onCc(host, port, stub -> {
      UnassignAddressType t = message(new UnassignAddressType(), "eucalyptus");
      t.setSource(publicIp);
      t.setDest(privateIp);
      UnassignAddress req = new UnassignAddress();
      req.setUnassignAddress(t);
      return answer(stub.unassignAddress(req).getUnassignAddressResponse());
    });
  }

  @Override
  public PublicAddresses describePublicAddresses(String host, int port) throws Exception {
    return onCc(host, port, stub -> {
      DescribePublicAddressesType t = message(new DescribePublicAddressesType(), "eucalyptus");
      DescribePublicAddresses req = new DescribePublicAddresses();
      req.setDescribePublicAddresses(t);
      DescribePublicAddressesResponseType r = stub.describePublicAddresses(req).getDescribePublicAddressesResponse();
      Map<String, String> out = new LinkedHashMap<>();
      String[] sources = r.getSourceAddresses();
      String[] dests = r.getDestAddresses();
      if (sources != null) {
        for (int k = 0; k < sources.length; k++) {
          String dest = dests != null && k < dests.length && dests[k] != null ? dests[k].trim() : "";
          out.put(sources[k].trim(), dest);
        }
      }
      Answer a = answer(r);
      return new PublicAddresses(a.ok(), a.message(), out);
    });
  }

  // ------------------------------------------------------------------ volumes

  @Override
  public Answer attachVolume(String host, int port, String owner, String volumeId, String instanceId, String remoteDev,
      String localDev) throws Exception {
    return onCc(host, port, stub -> {
      AttachVolumeType t = message(new AttachVolumeType(), owner);
      t.setVolumeId(volumeId);
      t.setInstanceId(instanceId);
      t.setRemoteDev(remoteDev);
      t.setLocalDev(localDev);
      AttachVolume req = new AttachVolume();
      req.setAttachVolume(t);
      return answer(stub.attachVolume(req).getAttachVolumeResponse());
    });
  }

  @Override
  public Answer detachVolume(String host, int port, String owner, String volumeId, String instanceId, String remoteDev,
      String localDev, boolean force) throws Exception {
    return onCc(host, port, stub -> {
      DetachVolumeType t = message(new DetachVolumeType(), owner);
      t.setVolumeId(volumeId);
      t.setInstanceId(instanceId);
      t.setRemoteDev(remoteDev == null ? "" : remoteDev);
      t.setLocalDev(localDev == null ? "" : localDev);
      t.setForce(force);
      DetachVolume req = new DetachVolume();
      req.setDetachVolume(t);
      return answer(stub.detachVolume(req).getDetachVolumeResponse());
    });
  }

  private static List<ReportedVolume> volumes(VolumeType[] in) {
    List<ReportedVolume> out = new ArrayList<>();
    if (in != null) {
      for (VolumeType v : in) {
        out.add(new ReportedVolume(v.getVolumeId(), v.getRemoteDev(), v.getLocalDev(), v.getState()));
      }
    }
    return out;
  }

  private static List<ReportedInstance> reported(CcInstanceType[] in) {
    List<ReportedInstance> out = new ArrayList<>();
    if (in != null) {
      for (CcInstanceType c : in) {
        NetConfigType net = c.getNetParams();
        out.add(new ReportedInstance(c.getInstanceId(), c.getReservationId(), c.getOwnerId(), c.getStateName(),
            net == null ? null : net.getPrivateIp(), net == null ? null : net.getPublicIp(), c.getServiceTag(),
            instant(c.getLaunchTime()), instant(c.getLastSeen()), volumes(c.getVolumes())));
      }
    }
    return out;
  }

  private static Instant instant(Calendar c) {
    return c == null ? null : c.toInstant();
  }
}
