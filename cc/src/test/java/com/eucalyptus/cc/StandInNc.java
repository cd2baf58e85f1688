package com.eucalyptus.cc;

import com.eucalyptus.wsdl.nc.EucalyptusNCSkeletonInterface;
import com.eucalyptus.wsdl.nc.types.*;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in EucalyptusNC endpoint for the CC's SOAP tests (the cc module may not use the NC's
 * code). It keeps the instances it was asked to run, counts them against its cores, memory and
 * disk as an NC does, and can be told to refuse ncRunInstance (a node failure the test cannot
 * cause on a real NC without one). The real NC is driven end to end by itests.
 */
final class StandInNc implements EucalyptusNCSkeletonInterface {
  final int memMax;
  final int diskMax;
  final int coresMax;
  final int memUsedByOthers;
  final int coresUsedByOthers;
  final Map<String, InstanceType> instances = new ConcurrentHashMap<>();
  final List<String> reboots = new java.util.concurrent.CopyOnWriteArrayList<>();
  volatile boolean refuseRuns;
  /** every ncAttachVolume/ncDetachVolume as it arrived */
  final List<Object> volumeCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** the network indexes ncStartNetwork was called with */
  final List<Integer> networksStarted = new java.util.concurrent.CopyOnWriteArrayList<>();

  StandInNc(int memMax, int diskMax, int coresMax, int memUsedByOthers, int coresUsedByOthers) {
    this.memMax = memMax;
    this.diskMax = diskMax;
    this.coresMax = coresMax;
    this.memUsedByOthers = memUsedByOthers;
    this.coresUsedByOthers = coresUsedByOthers;
  }

  @Override
  public NcDescribeResourceResponse ncDescribeResource(NcDescribeResource request) {
    int mem = memMax - memUsedByOthers;
    int disk = diskMax;
    int cores = coresMax - coresUsedByOthers;
    for (InstanceType i : instances.values()) {
      mem -= i.getInstanceType().getMemory();
      disk -= i.getInstanceType().getDisk();
      cores -= i.getInstanceType().getCores();
    }
    NcDescribeResourceResponseType t = new NcDescribeResourceResponseType();
    t.set_return(true);
    t.setMemorySizeMax(memMax);
    t.setMemorySizeAvailable(mem);
    t.setDiskSizeMax(diskMax);
    t.setDiskSizeAvailable(disk);
    t.setNumberOfCoresMax(coresMax);
    t.setNumberOfCoresAvailable(cores);
    NcDescribeResourceResponse r = new NcDescribeResourceResponse();
    r.setNcDescribeResourceResponse(t);
    return r;
  }

  @Override
  public NcRunInstanceResponse ncRunInstance(NcRunInstance request) {
    if (refuseRuns) {
      throw new IllegalStateException("stand-in node told to refuse runs");
    }
    NcRunInstanceType in = request.getNcRunInstance();
    InstanceType i = new InstanceType();
    i.setInstanceId(in.getInstanceId());
    i.setReservationId(in.getReservationId());
    i.setImageId(in.getImageId());
    i.setKernelId(in.getKernelId());
    i.setRamdiskId(in.getRamdiskId());
    i.setUserId(in.getUserId());
    i.setKeyName(in.getKeyName());
    i.setInstanceType(in.getInstanceType());
    NetConfigType net = new NetConfigType();
    net.setPrivateMacAddress(in.getPrivateMacAddress());
    net.setPublicMacAddress(in.getPublicMacAddress());
    net.setVlan(in.getVlan());
    net.setPrivateIp("0.0.0.0");
    net.setPublicIp("0.0.0.0");
    i.setNetParams(net);
    i.setStateName("Extant");
    i.setLaunchTime(new GregorianCalendar());
    i.setUserData(in.getUserData());
    i.setLaunchIndex(in.getLaunchIndex());
    i.setGroupNames(in.getGroupNames());
    instances.put(in.getInstanceId(), i);
    NcRunInstanceResponseType t = new NcRunInstanceResponseType();
    t.set_return(true);
    t.setInstance(i);
    NcRunInstanceResponse r = new NcRunInstanceResponse();
    r.setNcRunInstanceResponse(t);
    return r;
  }

  @Override
  public NcDescribeInstancesResponse ncDescribeInstances(NcDescribeInstances request) {
    NcDescribeInstancesResponseType t = new NcDescribeInstancesResponseType();
    t.set_return(true);
    t.setInstances(new ArrayList<>(instances.values()).toArray(InstanceType[]::new));
    NcDescribeInstancesResponse r = new NcDescribeInstancesResponse();
    r.setNcDescribeInstancesResponse(t);
    return r;
  }

  @Override
  public NcTerminateInstanceResponse ncTerminateInstance(NcTerminateInstance request) {
    String id = request.getNcTerminateInstance().getInstanceId();
    InstanceType gone = instances.remove(id);
    NcTerminateInstanceResponseType t = new NcTerminateInstanceResponseType();
    t.set_return(gone != null);
    t.setInstanceId(id);
    t.setPreviousState(gone == null ? null : gone.getStateName());
    t.setShutdownState("Teardown");
    NcTerminateInstanceResponse r = new NcTerminateInstanceResponse();
    r.setNcTerminateInstanceResponse(t);
    return r;
  }

  @Override
  public NcRebootInstanceResponse ncRebootInstance(NcRebootInstance request) {
    String id = request.getNcRebootInstance().getInstanceId();
    NcRebootInstanceResponseType t = new NcRebootInstanceResponseType();
    t.set_return(instances.containsKey(id));
    t.setStatus(instances.containsKey(id));
    if (instances.containsKey(id)) {
      reboots.add(id);
    }
    NcRebootInstanceResponse r = new NcRebootInstanceResponse();
    r.setNcRebootInstanceResponse(t);
    return r;
  }

  @Override
  public NcGetConsoleOutputResponse ncGetConsoleOutput(NcGetConsoleOutput request) {
    String id = request.getNcGetConsoleOutput().getInstanceId();
    NcGetConsoleOutputResponseType t = new NcGetConsoleOutputResponseType();
    t.set_return(instances.containsKey(id));
    t.setTimestamp(new GregorianCalendar(2026, 0, 2, 3, 4, 5));
    t.setConsoleOutput(Base64.getEncoder().encodeToString(("console of " + id + "\n").getBytes(StandardCharsets.UTF_8)));
    NcGetConsoleOutputResponse r = new NcGetConsoleOutputResponse();
    r.setNcGetConsoleOutputResponse(t);
    return r;
  }

  /**
   * Records the call and reports the volume attached in the instance's volumes, as an NC does; an
   * instance it does not run, or a volume attached already, is refused with the NC's wording.
   */
  @Override
  public NcAttachVolumeResponse ncAttachVolume(NcAttachVolume request) {
    NcAttachVolumeType in = request.getNcAttachVolume();
    volumeCalls.add(in);
    InstanceType i = instances.get(in.getInstanceId());
    if (i == null) {
      throw new IllegalArgumentException("InvalidInstanceID.NotFound: no instance " + in.getInstanceId() + " on this node");
    }
    synchronized (i) {
      if (i.getVolumes() != null && java.util.Arrays.stream(i.getVolumes()).anyMatch(v -> v.getVolumeId().equals(in.getVolumeId()))) {
        throw new IllegalStateException("VolumeInUse: volume " + in.getVolumeId() + " is already attached on " + in.getInstanceId());
      }
      VolumeType v = new VolumeType();
      v.setVolumeId(in.getVolumeId());
      v.setRemoteDev(in.getRemoteDev());
      v.setLocalDev(in.getLocalDev());
      v.setState("attached");
      i.addVolumes(v);
    }
    NcAttachVolumeResponseType out = new NcAttachVolumeResponseType();
    out.set_return(true);
    NcAttachVolumeResponse r = new NcAttachVolumeResponse();
    r.setNcAttachVolumeResponse(out);
    return r;
  }

  @Override
  public NcDetachVolumeResponse ncDetachVolume(NcDetachVolume request) {
    NcDetachVolumeType in = request.getNcDetachVolume();
    volumeCalls.add(in);
    InstanceType i = instances.get(in.getInstanceId());
    if (i == null) {
      throw new IllegalArgumentException("InvalidInstanceID.NotFound: no instance " + in.getInstanceId() + " on this node");
    }
    synchronized (i) {
      VolumeType[] left = i.getVolumes() == null ? new VolumeType[0]
          : java.util.Arrays.stream(i.getVolumes()).filter(v -> !v.getVolumeId().equals(in.getVolumeId())).toArray(VolumeType[]::new);
      i.setVolumes(left.length == 0 ? null : left);
    }
    NcDetachVolumeResponseType out = new NcDetachVolumeResponseType();
    out.set_return(true);
    NcDetachVolumeResponse r = new NcDetachVolumeResponse();
    r.setNcDetachVolumeResponse(out);
    return r;
  }

  @Override
  public NcStartNetworkResponse ncStartNetwork(NcStartNetwork request) {
    networksStarted.add(request.getNcStartNetwork().getVlan());
    NcStartNetworkResponseType out = new NcStartNetworkResponseType();
    out.setCorrelationId(request.getNcStartNetwork().getCorrelationId());
    out.set_return(true);
    out.setNetworkStatus("SUCCESS");
    NcStartNetworkResponse r = new NcStartNetworkResponse();
    r.setNcStartNetworkResponse(out);
    return r;
  }

  @Override
  public NcStopNetworkResponse ncStopNetwork(NcStopNetwork request) {
    throw new UnsupportedOperationException("not part of this stand-in");
  }
}
