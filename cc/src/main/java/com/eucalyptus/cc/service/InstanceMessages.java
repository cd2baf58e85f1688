package com.eucalyptus.cc.service;

import com.eucalyptus.cc.instances.AttachedVolume;
import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.instances.LaunchRequest;
import com.eucalyptus.cc.resources.ResourceCalculator.VmType;
import com.eucalyptus.wsdl.cc.types.CcInstanceType;
import com.eucalyptus.wsdl.cc.types.NetConfigType;
import com.eucalyptus.wsdl.cc.types.RunInstancesType;
import com.eucalyptus.wsdl.cc.types.VirtualMachineType;
import com.eucalyptus.wsdl.cc.types.VolumeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/** EucalyptusCC's RunInstances request and ccInstanceType, to and from the CC's own records. */
final class InstanceMessages {
  private InstanceMessages() {
  }

  /**
   * The instances of a RunInstances request: one per instance id (at most maxCount), each with its
   * MAC (given, or {@code d0:0d:} + the id's hex digits as the CLC makes them; the same MAC is sent
   * as public and private, as the original did), launch index (the request's, counting up per
   * instance) and the security groups (netNames) of the reservation.
   */
  static LaunchRequest launchRequest(RunInstancesType in, Instant now) {
    String[] ids = in.getInstanceIds();
    if (ids == null || ids.length == 0) {
      throw new IllegalArgumentException("RunInstances names no instance ids");
    }
    if (in.getImageURL() == null || in.getImageURL().isBlank()) {
      throw new IllegalArgumentException("RunInstances has no imageURL");
    }
    if (in.getKernelId() == null || in.getKernelId().isBlank() || in.getKernelURL() == null
        || in.getKernelURL().isBlank()) {
      throw new IllegalArgumentException("RunInstances has no kernel (kernelId and kernelURL are needed by the nodes)");
    }
    VirtualMachineType t = in.getInstanceType();
    if (t == null || t.getMemory() <= 0 || t.getCores() <= 0 || t.getDisk() <= 0) {
      throw new IllegalArgumentException("RunInstances has no valid instanceType (memory, cores and disk above 0)");
    }
    VmType type = new VmType(t.getName(), t.getMemory(), t.getCores(), t.getDisk());
    int count = in.getMaxCount() > 0 ? Math.min(in.getMaxCount(), ids.length) : ids.length;
    String[] macs = in.getMacAddresses();
    int baseIndex = parseIndex(in.getLaunchIndex());
    List<String> groups = new ArrayList<>();
    if (in.getNetNames() != null) {
      for (String g : in.getNetNames()) {
        if (g != null && !g.isBlank()) {
          groups.add(g);
        }
      }
    }
    List<Instance> out = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      String id = ids[k];
      String mac = macs != null && k < macs.length && macs[k] != null && !macs[k].isBlank() ? macs[k] : macFor(id);
      out.add(new Instance(id, in.getReservationId(), in.getUserId(), in.getImageId(), in.getKernelId(),
          in.getRamdiskId(), type, in.getKeyName(), now, "Pending", mac, mac, in.isVlanSpecified() ? in.getVlan() : 0,
          null, null, null, in.getUserData(), String.valueOf(baseIndex + k), groups, null, null));
    }
    return new LaunchRequest(out, Math.min(count, Math.max(1, in.getMinCount())), in.getImageURL(), in.getKernelURL(),
        in.getRamdiskURL());
  }

  private static int parseIndex(String s) {
    try {
      return s == null || s.isBlank() ? 0 : Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** d0:0d: and the 8 hex digits of the instance id (i-1A2B3C4D → d0:0d:1a:2b:3c:4d). */
  static String macFor(String instanceId) {
    String hex = instanceId.startsWith("i-") ? instanceId.substring(2) : instanceId;
    hex = (hex.toLowerCase(Locale.ROOT) + "00000000").substring(0, 8);
    return "d0:0d:" + hex.substring(0, 2) + ":" + hex.substring(2, 4) + ":" + hex.substring(4, 6) + ":"
        + hex.substring(6, 8);
  }

  static CcInstanceType toMessage(Instance i) {
    CcInstanceType c = new CcInstanceType();
    c.setInstanceId(i.instanceId());
    c.setReservationId(i.reservationId());
    c.setOwnerId(i.ownerId());
    c.setImageId(i.imageId());
    c.setKernelId(i.kernelId());
    c.setRamdiskId(i.ramdiskId());
    if (i.vmType() != null) {
      VirtualMachineType t = new VirtualMachineType();
      t.setName(i.vmType().name() == null ? "" : i.vmType().name());
      t.setMemory(i.vmType().memory());
      t.setCores(i.vmType().cores());
      t.setDisk(i.vmType().disk());
      c.setInstanceType(t);
    }
    c.setKeyName(i.keyName());
    if (i.launchTime() != null) {
      c.setLaunchTime(calendar(i.launchTime()));
    }
    c.setStateName(i.stateName());
    NetConfigType net = new NetConfigType();
    net.setPrivateMacAddress(i.privateMac());
    net.setPublicMacAddress(i.publicMac());
    net.setVlan(i.vlan());
    net.setPrivateIp(i.privateIp());
    net.setPublicIp(i.publicIp());
    c.setNetParams(net);
    c.setServiceTag(i.serviceTag());
    c.setUserData(i.userData());
    c.setLaunchIndex(i.launchIndex());
    if (!i.groupNames().isEmpty()) {
      c.setGroupNames(i.groupNames().toArray(String[]::new));
    }
    if (i.lastSeen() != null) {
      c.setLastSeen(calendar(i.lastSeen()));
    }
    for (AttachedVolume v : i.volumes()) {
      VolumeType t = new VolumeType();
      t.setVolumeId(v.volumeId());
      t.setRemoteDev(v.remoteDev());
      t.setLocalDev(v.localDev());
      t.setState(v.state());
      c.addVolumes(t);
    }
    return c;
  }

  static Calendar calendar(Instant t) {
    GregorianCalendar c = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
    c.setTimeInMillis(t.toEpochMilli());
    return c;
  }
}
