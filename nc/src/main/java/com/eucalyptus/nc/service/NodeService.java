package com.eucalyptus.nc.service;

import com.eucalyptus.nc.instances.ConsoleOutput;
import com.eucalyptus.nc.instances.Instance;
import com.eucalyptus.nc.instances.InstanceManager;
import com.eucalyptus.nc.instances.InstanceVolumes;
import com.eucalyptus.nc.instances.VolumeAttachment;
import com.eucalyptus.nc.instances.LaunchRequest;
import com.eucalyptus.nc.network.NodeNetwork;
import com.eucalyptus.nc.resources.NodeResources;
import com.eucalyptus.wsdl.nc.EucalyptusNCSkeletonInterface;
import com.eucalyptus.wsdl.nc.types.*;
import java.net.URI;
import java.util.Arrays;
import java.util.Base64;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The EucalyptusNC operations. Resources, instances, volumes and ncStartNetwork are served;
 * what is not there yet is refused with a fault that says so — never a fake success. A refused
 * request (bad input, not enough room, unknown instance) is a SOAP fault whose reason says why
 * (for volumes starting with the EC2 error code: "Code: message"); the daemon goes on.
 */
public final class NodeService implements EucalyptusNCSkeletonInterface {
  private static final Logger LOG = LogManager.getLogger(NodeService.class);
  private final NodeResources resources;
  private final InstanceManager instances;
  private final String serviceTag;
  private final NodeNetwork network;
  private final InstanceVolumes volumes;

  public NodeService(NodeResources resources, InstanceManager instances, String serviceTag, NodeNetwork network,
      InstanceVolumes volumes) {
    this.resources = resources;
    this.instances = instances;
    this.serviceTag = serviceTag;
    this.network = network;
    this.volumes = volumes;
  }

  @Override
  public NcDescribeResourceResponse ncDescribeResource(NcDescribeResource request) {
    NcDescribeResourceType in = request.getNcDescribeResource();
    NcDescribeResourceResponseType out = new NcDescribeResourceResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    try {
      NodeResources.Snapshot s = resources.describe();
      out.setNodeStatus(s.status());
      out.setMemorySizeMax(toInt(s.memoryMaxMb()));
      out.setMemorySizeAvailable(toInt(s.memoryAvailableMb()));
      out.setDiskSizeMax(toInt(s.diskMaxGb()));
      out.setDiskSizeAvailable(toInt(s.diskAvailableGb()));
      out.setNumberOfCoresMax(s.coresMax());
      out.setNumberOfCoresAvailable(s.coresAvailable());
      out.setPublicSubnets("");
      out.set_return(true);
      LOG.debug("ncDescribeResource: {}", s);
    } catch (Exception e) {
      LOG.error("ncDescribeResource failed: {}", e.getMessage());
      throw new IllegalStateException("ncDescribeResource failed: " + e.getMessage(), e);
    }
    NcDescribeResourceResponse r = new NcDescribeResourceResponse();
    r.setNcDescribeResourceResponse(out);
    return r;
  }

  private static int toInt(long v) {
    return (int) Math.min(Integer.MAX_VALUE, v);
  }

  @Override
  public NcRunInstanceResponse ncRunInstance(NcRunInstance request) {
    NcRunInstanceType in = request.getNcRunInstance();
    VirtualMachineType vm = in.getInstanceType();
    if (vm == null) {
      throw new IllegalArgumentException("ncRunInstance: instanceType is required");
    }
    LaunchRequest launch = new LaunchRequest(in.getInstanceId(), in.getReservationId(), in.getUserId(), in.getImageId(),
        uri("imageURL", in.getImageURL()), in.getKernelId(), uri("kernelURL", in.getKernelURL()), in.getRamdiskId(),
        blank(in.getRamdiskURL()) ? null : uri("ramdiskURL", in.getRamdiskURL()), vm.getMemory(), vm.getCores(), vm.getDisk(),
        in.getKeyName(), in.getPrivateMacAddress(), in.getPublicMacAddress(), in.getVlan() == Integer.MIN_VALUE ? 0 : in.getVlan(),
        in.getUserData(), in.getLaunchIndex(), in.getGroupNames() == null ? List.of() : Arrays.asList(in.getGroupNames()));
    Instance instance;
    try {
      // admission and registration together, so two concurrent launches cannot both take the last room
      synchronized (resources) {
        NodeResources.Snapshot s = resources.describe();
        if (vm.getMemory() > s.memoryAvailableMb() || vm.getCores() > s.coresAvailable() || vm.getDisk() > s.diskAvailableGb()) {
          throw new IllegalStateException("not enough resources on this node for " + in.getInstanceId() + ": asked " + vm.getMemory()
              + " MB, " + vm.getCores() + " cores, " + vm.getDisk() + " GB; available " + s.memoryAvailableMb() + " MB, "
              + s.coresAvailable() + " cores, " + s.diskAvailableGb() + " GB");
        }
        instance = instances.run(launch);
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("ncRunInstance " + in.getInstanceId() + " failed: " + e.getMessage(), e);
    }
    NcRunInstanceResponseType out = new NcRunInstanceResponseType();
    echo(in, out);
    out.setInstance(toWire(instance));
    out.set_return(true);
    NcRunInstanceResponse r = new NcRunInstanceResponse();
    r.setNcRunInstanceResponse(out);
    return r;
  }

  @Override
  public NcDescribeInstancesResponse ncDescribeInstances(NcDescribeInstances request) {
    NcDescribeInstancesType in = request.getNcDescribeInstances();
    List<String> ids = in.getInstanceIds() == null ? List.of() : Arrays.asList(in.getInstanceIds());
    NcDescribeInstancesResponseType out = new NcDescribeInstancesResponseType();
    echo(in, out);
    out.setInstances(instances.describe(ids).stream().map(this::toWire).toArray(InstanceType[]::new));
    out.set_return(true);
    NcDescribeInstancesResponse r = new NcDescribeInstancesResponse();
    r.setNcDescribeInstancesResponse(out);
    return r;
  }

  @Override
  public NcTerminateInstanceResponse ncTerminateInstance(NcTerminateInstance request) {
    NcTerminateInstanceType in = request.getNcTerminateInstance();
    InstanceManager.Termination t;
    try {
      t = instances.terminate(in.getInstanceId());
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("ncTerminateInstance " + in.getInstanceId() + " failed: " + e.getMessage(), e);
    }
    NcTerminateInstanceResponseType out = new NcTerminateInstanceResponseType();
    echo(in, out);
    out.setInstanceId(t.instanceId());
    out.setPreviousState(t.previous().stateName());
    out.setShutdownState(t.now().stateName());
    out.set_return(true);
    NcTerminateInstanceResponse r = new NcTerminateInstanceResponse();
    r.setNcTerminateInstanceResponse(out);
    return r;
  }

  @Override
  public NcRebootInstanceResponse ncRebootInstance(NcRebootInstance request) {
    NcRebootInstanceType in = request.getNcRebootInstance();
    try {
      instances.reboot(in.getInstanceId());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("ncRebootInstance " + in.getInstanceId() + " failed: " + e.getMessage(), e);
    }
    NcRebootInstanceResponseType out = new NcRebootInstanceResponseType();
    echo(in, out);
    out.setStatus(true);
    out.set_return(true);
    NcRebootInstanceResponse r = new NcRebootInstanceResponse();
    r.setNcRebootInstanceResponse(out);
    return r;
  }

  @Override
  public NcGetConsoleOutputResponse ncGetConsoleOutput(NcGetConsoleOutput request) {
    NcGetConsoleOutputType in = request.getNcGetConsoleOutput();
    ConsoleOutput console;
    try {
      console = instances.console(in.getInstanceId());
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("ncGetConsoleOutput " + in.getInstanceId() + " failed: " + e.getMessage(), e);
    }
    NcGetConsoleOutputResponseType out = new NcGetConsoleOutputResponseType();
    echo(in, out);
    out.setConsoleOutput(Base64.getEncoder().encodeToString(console.text()));
    out.setTimestamp(calendar(console.lastWritten()));
    out.set_return(true);
    NcGetConsoleOutputResponse r = new NcGetConsoleOutputResponse();
    r.setNcGetConsoleOutputResponse(out);
    return r;
  }

  /** 1.5.2's instanceType as the NC reports it. */
  private InstanceType toWire(Instance i) {
    LaunchRequest r = i.request();
    InstanceType t = new InstanceType();
    t.setInstanceId(r.instanceId());
    t.setReservationId(r.reservationId());
    t.setImageId(r.imageId());
    t.setKernelId(r.kernelId());
    t.setRamdiskId(r.ramdiskId());
    t.setUserId(r.userId());
    t.setKeyName(r.keyName());
    VirtualMachineType vm = new VirtualMachineType();
    vm.setMemory(r.memoryMb());
    vm.setCores(r.cores());
    vm.setDisk(r.diskGb());
    t.setInstanceType(vm);
    NetConfigType net = new NetConfigType();
    net.setPrivateMacAddress(r.privateMacAddress());
    net.setPublicMacAddress(r.publicMacAddress());
    net.setVlan(r.vlan());
    // in SYSTEM mode the address is leased by the site's DHCP server: the CC learns it, not the NC
    net.setPrivateIp("0.0.0.0");
    net.setPublicIp("0.0.0.0");
    t.setNetParams(net);
    t.setStateName(i.state().stateName());
    t.setLaunchTime(calendar(i.launchTime()));
    t.setUserData(r.userData());
    t.setLaunchIndex(r.launchIndex());
    t.setGroupNames(r.groupNames().toArray(String[]::new));
    t.setServiceTag(serviceTag);
    for (VolumeAttachment v : i.volumes()) {
      VolumeType vt = new VolumeType();
      vt.setVolumeId(v.volumeId());
      vt.setRemoteDev(v.remoteDev());
      vt.setLocalDev(v.localDev());
      vt.setState(v.state());
      t.addVolumes(vt);
    }
    return t;
  }

  private NcAttachVolumeResponse attach(NcAttachVolumeType in) {
    try {
      volumes.attach(in.getInstanceId(), in.getVolumeId(), in.getRemoteDev(), in.getLocalDev());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("ncAttachVolume " + in.getVolumeId() + " to " + in.getInstanceId() + " failed: "
          + e.getMessage(), e);
    }
    NcAttachVolumeResponseType out = new NcAttachVolumeResponseType();
    echo(in, out);
    out.set_return(true);
    NcAttachVolumeResponse r = new NcAttachVolumeResponse();
    r.setNcAttachVolumeResponse(out);
    return r;
  }

  private NcDetachVolumeResponse detach(NcDetachVolumeType in) {
    try {
      volumes.detach(in.getInstanceId(), in.getVolumeId(), in.isForceSpecified() && in.getForce());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("ncDetachVolume " + in.getVolumeId() + " from " + in.getInstanceId() + " failed: "
          + e.getMessage(), e);
    }
    NcDetachVolumeResponseType out = new NcDetachVolumeResponseType();
    echo(in, out);
    out.set_return(true);
    NcDetachVolumeResponse r = new NcDetachVolumeResponse();
    r.setNcDetachVolumeResponse(out);
    return r;
  }

  private static Calendar calendar(java.time.Instant when) {
    GregorianCalendar c = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
    c.setTimeInMillis(when.toEpochMilli());
    return c;
  }

  private static void echo(EucalyptusMessage in, EucalyptusMessage out) {
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static URI uri(String field, String value) {
    if (blank(value)) {
      throw new IllegalArgumentException("ncRunInstance: " + field + " is required");
    }
    try {
      URI u = new URI(value.strip());
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
        throw new IllegalArgumentException("ncRunInstance: " + field + " \"" + value + "\" is not an http(s) URL");
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("ncRunInstance: " + field + " \"" + value + "\" is not a URL", e);
    }
  }

  /** The fault's reason is logged once, by runtime.soap.FaultLogger. */
  private static UnsupportedOperationException notYet(String op) {
    return new UnsupportedOperationException(op + " is not implemented yet (it arrives with a later release)");
  }

  @Override
  public NcAttachVolumeResponse ncAttachVolume(NcAttachVolume request) {
    return attach(request.getNcAttachVolume());
  }

  @Override
  public NcStartNetworkResponse ncStartNetwork(NcStartNetwork request) {
    NcStartNetworkType in = request.getNcStartNetwork();
    int vlan = in.isVlanSpecified() ? in.getVlan() : 0;
    // statusMessage is an xs:int in the NC's WSDL: the reason of a FAIL follows it in networkStatus
    String status = network.startNetwork(vlan);
    if (status.startsWith("SUCCESS")) {
      LOG.info("ncStartNetwork (index {}): bridge {} is ready", vlan, network.bridge());
    } else {
      LOG.warn("ncStartNetwork (index {}): {}", vlan, status);
    }
    NcStartNetworkResponseType out = new NcStartNetworkResponseType();
    out.setCorrelationId(in.getCorrelationId());
    out.setUserId(in.getUserId());
    out.setNetworkStatus(status);
    out.set_return(true);
    NcStartNetworkResponse r = new NcStartNetworkResponse();
    r.setNcStartNetworkResponse(out);
    return r;
  }

  @Override
  public NcDetachVolumeResponse ncDetachVolume(NcDetachVolume request) {
    return detach(request.getNcDetachVolume());
  }

  /** Until VNET_MODE=MANAGED lands the node has no per-group network to tear down: refused as not there yet. */
  @Override
  public NcStopNetworkResponse ncStopNetwork(NcStopNetwork request) {
    throw notYet("ncStopNetwork");
  }
}
