package com.eucalyptus.cc.nodes;

import com.eucalyptus.cc.instances.AttachedVolume;
import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.instances.NodeInstanceClient;
import com.eucalyptus.cc.resources.ResourceCalculator.VmType;
import com.eucalyptus.runtime.soap.KeySource;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.wsdl.nc.EucalyptusNCStub;
import com.eucalyptus.wsdl.nc.types.EucalyptusMessage;
import com.eucalyptus.wsdl.nc.types.InstanceType;
import com.eucalyptus.wsdl.nc.types.NcAttachVolume;
import com.eucalyptus.wsdl.nc.types.NcAttachVolumeType;
import com.eucalyptus.wsdl.nc.types.NcDetachVolume;
import com.eucalyptus.wsdl.nc.types.NcDetachVolumeType;
import com.eucalyptus.wsdl.nc.types.NcDescribeInstances;
import com.eucalyptus.wsdl.nc.types.NcDescribeInstancesResponseType;
import com.eucalyptus.wsdl.nc.types.NcDescribeInstancesType;
import com.eucalyptus.wsdl.nc.types.NcDescribeResource;
import com.eucalyptus.wsdl.nc.types.NcDescribeResourceResponseType;
import com.eucalyptus.wsdl.nc.types.NcDescribeResourceType;
import com.eucalyptus.wsdl.nc.types.NcGetConsoleOutput;
import com.eucalyptus.wsdl.nc.types.NcGetConsoleOutputResponseType;
import com.eucalyptus.wsdl.nc.types.NcGetConsoleOutputType;
import com.eucalyptus.wsdl.nc.types.NcRebootInstance;
import com.eucalyptus.wsdl.nc.types.NcRebootInstanceResponseType;
import com.eucalyptus.wsdl.nc.types.NcRebootInstanceType;
import com.eucalyptus.wsdl.nc.types.NcRunInstance;
import com.eucalyptus.wsdl.nc.types.NcRunInstanceResponseType;
import com.eucalyptus.wsdl.nc.types.NcRunInstanceType;
import com.eucalyptus.wsdl.nc.types.NcStartNetwork;
import com.eucalyptus.wsdl.nc.types.NcStartNetworkResponseType;
import com.eucalyptus.wsdl.nc.types.NcStartNetworkType;
import com.eucalyptus.wsdl.nc.types.NcTerminateInstance;
import com.eucalyptus.wsdl.nc.types.NcTerminateInstanceResponseType;
import com.eucalyptus.wsdl.nc.types.NcTerminateInstanceType;
import com.eucalyptus.wsdl.nc.types.NetConfigType;
import com.eucalyptus.wsdl.nc.types.VirtualMachineType;
import com.eucalyptus.wsdl.nc.types.VolumeType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.UUID;

/** The CC→NC calls over the signed hop (cluster-pk.pem, trusting node-cert.pem). */
public final class SoapNodeClient implements NodeClient, NodeInstanceClient, NodeNetworkClient {
  private final KeySource keys;
  private final Duration timeout;

  /** @param keys the CC's keys and the node certificate, or null when ENABLE_WS_SECURITY="N" */
  public SoapNodeClient(KeySource keys, Duration timeout) {
    this.keys = keys;
    this.timeout = timeout;
  }

  @FunctionalInterface
  private interface Call<T> {
    T on(EucalyptusNCStub stub) throws Exception;
  }

  private <T> T call(NodeEndpoint node, Call<T> c) throws Exception {
    EucalyptusNCStub stub = SoapClients.secure(new EucalyptusNCStub(SoapClients.clientContext(), node.url()),
        keys == null ? null : keys.current(), timeout);
    try {
      return c.on(stub);
    } finally {
      stub._getServiceClient().cleanupTransport();
    }
  }

  private static <M extends EucalyptusMessage> M header(M m, String userId) {
    m.setCorrelationId(UUID.randomUUID().toString());
    m.setUserId(userId == null ? "eucalyptus" : userId);
    return m;
  }

  /** An NC answer with return=false is a refusal, reported like a fault. */
  private static void check(EucalyptusMessage reply, String op) throws Exception {
    if (reply == null) {
      throw new IllegalStateException(op + ": empty answer");
    }
    if (reply.is_returnSpecified() && !reply.get_return()) {
      throw new IllegalStateException(op + " refused by the node");
    }
  }

  @Override
  public Answer describeResource(NodeEndpoint node) throws Exception {
    return call(node, stub -> {
      NcDescribeResource req = new NcDescribeResource();
      req.setNcDescribeResource(header(new NcDescribeResourceType(), null));
      NcDescribeResourceResponseType r = stub.ncDescribeResource(req).getNcDescribeResourceResponse();
      return new Answer(new NodeState.NodeCapacity(r.getMemorySizeMax(), r.getMemorySizeAvailable(), r.getDiskSizeMax(),
          r.getDiskSizeAvailable(), r.getNumberOfCoresMax(), r.getNumberOfCoresAvailable()),
          SoapClients.lastReplySigner(stub));
    });
  }

  @Override
  public Instance runInstance(NodeEndpoint node, Instance i, String imageUrl, String kernelUrl, String ramdiskUrl)
      throws Exception {
    return call(node, stub -> {
      NcRunInstanceType t = header(new NcRunInstanceType(), i.ownerId());
      t.setImageId(i.imageId());
      t.setKernelId(i.kernelId());
      t.setRamdiskId(i.ramdiskId());
      t.setImageURL(imageUrl);
      t.setKernelURL(kernelUrl);
      t.setRamdiskURL(ramdiskUrl);
      t.setInstanceId(i.instanceId());
      VirtualMachineType vm = new VirtualMachineType();
      vm.setMemory(i.vmType().memory());
      vm.setCores(i.vmType().cores());
      vm.setDisk(i.vmType().disk());
      t.setInstanceType(vm);
      t.setKeyName(i.keyName());
      t.setPrivateMacAddress(i.privateMac());
      t.setPublicMacAddress(i.publicMac());
      t.setReservationId(i.reservationId());
      t.setVlan(i.vlan());
      t.setUserData(i.userData());
      t.setLaunchIndex(i.launchIndex());
      for (String g : i.groupNames()) {
        t.addGroupNames(g);
      }
      NcRunInstance req = new NcRunInstance();
      req.setNcRunInstance(t);
      NcRunInstanceResponseType r = stub.ncRunInstance(req).getNcRunInstanceResponse();
      check(r, "ncRunInstance");
      return r.getInstance() == null ? null : fromNode(r.getInstance(), node);
    });
  }

  @Override
  public List<Instance> describeInstances(NodeEndpoint node) throws Exception {
    return call(node, stub -> {
      NcDescribeInstances req = new NcDescribeInstances();
      req.setNcDescribeInstances(header(new NcDescribeInstancesType(), null));
      NcDescribeInstancesResponseType r = stub.ncDescribeInstances(req).getNcDescribeInstancesResponse();
      check(r, "ncDescribeInstances");
      List<Instance> out = new ArrayList<>();
      if (r.getInstances() != null) {
        for (InstanceType it : r.getInstances()) {
          if (it != null) {
            out.add(fromNode(it, node));
          }
        }
      }
      return out;
    });
  }

  @Override
  public String terminateInstance(NodeEndpoint node, String instanceId) throws Exception {
    return call(node, stub -> {
      NcTerminateInstanceType t = header(new NcTerminateInstanceType(), null);
      t.setInstanceId(instanceId);
      NcTerminateInstance req = new NcTerminateInstance();
      req.setNcTerminateInstance(t);
      NcTerminateInstanceResponseType r = stub.ncTerminateInstance(req).getNcTerminateInstanceResponse();
      check(r, "ncTerminateInstance");
      return r.getShutdownState();
    });
  }

  @Override
  public void rebootInstance(NodeEndpoint node, String instanceId) throws Exception {
    call(node, stub -> {
      NcRebootInstanceType t = header(new NcRebootInstanceType(), null);
      t.setInstanceId(instanceId);
      NcRebootInstance req = new NcRebootInstance();
      req.setNcRebootInstance(t);
      NcRebootInstanceResponseType r = stub.ncRebootInstance(req).getNcRebootInstanceResponse();
      check(r, "ncRebootInstance");
      if (r.isStatusSpecified() && !r.getStatus()) {
        throw new IllegalStateException("ncRebootInstance: the node could not reboot " + instanceId);
      }
      return null;
    });
  }

  @Override
  public ConsoleOutput getConsoleOutput(NodeEndpoint node, String instanceId) throws Exception {
    return call(node, stub -> {
      NcGetConsoleOutputType t = header(new NcGetConsoleOutputType(), null);
      t.setInstanceId(instanceId);
      NcGetConsoleOutput req = new NcGetConsoleOutput();
      req.setNcGetConsoleOutput(t);
      NcGetConsoleOutputResponseType r = stub.ncGetConsoleOutput(req).getNcGetConsoleOutputResponse();
      check(r, "ncGetConsoleOutput");
      return new ConsoleOutput(r.getConsoleOutput(), r.getTimestamp() == null ? null : r.getTimestamp().toInstant());
    });
  }

  /** ncStartNetwork as 1.5.2's doStartNetwork sent it: remoteHosts "localhost", port 1234, the index. */
  @Override
  public String startNetwork(NodeEndpoint node, int vlan) throws Exception {
    return call(node, stub -> {
      NcStartNetworkType t = header(new NcStartNetworkType(), null);
      t.addRemoteHosts("localhost");
      t.setRemoteHostPort(1234);
      t.setVlan(vlan);
      NcStartNetwork req = new NcStartNetwork();
      req.setNcStartNetwork(t);
      NcStartNetworkResponseType r = stub.ncStartNetwork(req).getNcStartNetworkResponse();
      if (r == null) {
        throw new IllegalStateException("ncStartNetwork: empty answer");
      }
      if (r.is_returnSpecified() && !r.get_return()) {
        throw new IllegalStateException("ncStartNetwork refused by the node: " + r.getNetworkStatus());
      }
      return r.getNetworkStatus();
    });
  }

  @Override
  public void attachVolume(NodeEndpoint node, String instanceId, String volumeId, String remoteDev, String localDev)
      throws Exception {
    call(node, stub -> {
      NcAttachVolumeType t = header(new NcAttachVolumeType(), null);
      t.setInstanceId(instanceId);
      t.setVolumeId(volumeId);
      t.setRemoteDev(remoteDev);
      t.setLocalDev(localDev);
      NcAttachVolume req = new NcAttachVolume();
      req.setNcAttachVolume(t);
      check(stub.ncAttachVolume(req).getNcAttachVolumeResponse(), "ncAttachVolume");
      return null;
    });
  }

  @Override
  public void detachVolume(NodeEndpoint node, String instanceId, String volumeId, String remoteDev, String localDev,
      boolean force) throws Exception {
    call(node, stub -> {
      NcDetachVolumeType t = header(new NcDetachVolumeType(), null);
      t.setInstanceId(instanceId);
      t.setVolumeId(volumeId);
      t.setRemoteDev(remoteDev == null ? "" : remoteDev);
      t.setLocalDev(localDev == null ? "" : localDev);
      t.setForce(force);
      NcDetachVolume req = new NcDetachVolume();
      req.setNcDetachVolume(t);
      check(stub.ncDetachVolume(req).getNcDetachVolumeResponse(), "ncDetachVolume");
      return null;
    });
  }

  /** The NC's instanceType as the CC's record; the node's own VM type has no name. */
  static Instance fromNode(InstanceType it, NodeEndpoint node) {
    VirtualMachineType vm = it.getInstanceType();
    NetConfigType net = it.getNetParams();
    Calendar launched = it.getLaunchTime();
    return new Instance(it.getInstanceId(), it.getReservationId(), it.getUserId(), it.getImageId(), it.getKernelId(),
        it.getRamdiskId(), vm == null ? null : new VmType(null, vm.getMemory(), vm.getCores(), vm.getDisk()),
        it.getKeyName(), launched == null ? null : launched.toInstant(), it.getStateName(),
        net == null ? null : net.getPrivateMacAddress(), net == null ? null : net.getPublicMacAddress(),
        net == null || !net.isVlanSpecified() ? 0 : net.getVlan(), net == null ? null : net.getPrivateIp(),
        net == null ? null : net.getPublicIp(), node.url(), it.getUserData(), it.getLaunchIndex(),
        it.getGroupNames() == null ? List.of() : nonNull(it.getGroupNames()), null, null, volumes(it.getVolumes()));
  }

  private static List<AttachedVolume> volumes(VolumeType[] reported) {
    List<AttachedVolume> out = new ArrayList<>();
    if (reported != null) {
      for (VolumeType v : reported) {
        if (v != null && v.getVolumeId() != null) {
          out.add(new AttachedVolume(v.getVolumeId(), v.getRemoteDev(), v.getLocalDev(), v.getState()));
        }
      }
    }
    return out;
  }

  private static List<String> nonNull(String[] a) {
    List<String> out = new ArrayList<>();
    for (String s : a) {
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }
}
