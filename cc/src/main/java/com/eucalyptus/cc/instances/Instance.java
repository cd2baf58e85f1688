package com.eucalyptus.cc.instances;

import com.eucalyptus.cc.resources.ResourceCalculator.VmType;
import java.time.Instant;
import java.util.List;

/**
 * One instance as the CC knows it: what RunInstances asked for, where it was placed
 * ({@code serviceTag} = the NC's URL), the state its NC last reported ("Pending", "Extant",
 * "Teardown"), the addresses learnt for it, and when its NC last reported it ({@code lastSeen};
 * null until the first report). {@code placedAt} is when this CC placed it (null for an instance
 * learnt from an NC's report): a node poll sent before then cannot know it yet. {@code volumes}
 * are the ones its NC last reported.
 */
public record Instance(String instanceId, String reservationId, String ownerId, String imageId, String kernelId,
    String ramdiskId, VmType vmType, String keyName, Instant launchTime, String stateName, String privateMac,
    String publicMac, int vlan, String privateIp, String publicIp, String serviceTag, String userData,
    String launchIndex, List<String> groupNames, Instant lastSeen, Instant placedAt, List<AttachedVolume> volumes) {

  /** The address shown until one is learnt, as the original showed it. */
  public static final String NO_ADDRESS = "0.0.0.0";

  /** An instance without volumes (as RunInstances places it). */
  public Instance(String instanceId, String reservationId, String ownerId, String imageId, String kernelId,
      String ramdiskId, VmType vmType, String keyName, Instant launchTime, String stateName, String privateMac,
      String publicMac, int vlan, String privateIp, String publicIp, String serviceTag, String userData,
      String launchIndex, List<String> groupNames, Instant lastSeen, Instant placedAt) {
    this(instanceId, reservationId, ownerId, imageId, kernelId, ramdiskId, vmType, keyName, launchTime, stateName, privateMac,
        publicMac, vlan, privateIp, publicIp, serviceTag, userData, launchIndex, groupNames, lastSeen, placedAt, List.of());
  }

  public Instance {
    groupNames = groupNames == null ? List.of() : List.copyOf(groupNames);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    privateIp = blankToNone(privateIp);
    publicIp = blankToNone(publicIp);
  }

  static String blankToNone(String ip) {
    return ip == null || ip.isBlank() ? NO_ADDRESS : ip;
  }

  public boolean hasAddress() {
    return !NO_ADDRESS.equals(privateIp);
  }

  public Instance withState(String state) {
    return new Instance(instanceId, reservationId, ownerId, imageId, kernelId, ramdiskId, vmType, keyName, launchTime,
        state, privateMac, publicMac, vlan, privateIp, publicIp, serviceTag, userData, launchIndex, groupNames, lastSeen,
        placedAt, volumes);
  }

  public Instance withAddresses(String priv, String pub) {
    return new Instance(instanceId, reservationId, ownerId, imageId, kernelId, ramdiskId, vmType, keyName, launchTime,
        stateName, privateMac, publicMac, vlan, priv, pub, serviceTag, userData, launchIndex, groupNames, lastSeen,
        placedAt, volumes);
  }

  /** This instance with the MAC (sent as both public and private MAC) and addresses its network mode gave it. */
  public Instance withNetwork(String mac, String priv, String pub) {
    return new Instance(instanceId, reservationId, ownerId, imageId, kernelId, ramdiskId, vmType, keyName, launchTime,
        stateName, mac, mac, vlan, priv, pub, serviceTag, userData, launchIndex, groupNames, lastSeen, placedAt, volumes);
  }

  /** This instance as placed on {@code serviceTag} at {@code when}. */
  public Instance placedOn(String tag, Instant when) {
    return new Instance(instanceId, reservationId, ownerId, imageId, kernelId, ramdiskId, vmType, keyName, launchTime,
        stateName, privateMac, publicMac, vlan, privateIp, publicIp, tag, userData, launchIndex, groupNames, lastSeen,
        when, volumes);
  }

  public Instance seenAt(Instant when) {
    return new Instance(instanceId, reservationId, ownerId, imageId, kernelId, ramdiskId, vmType, keyName, launchTime,
        stateName, privateMac, publicMac, vlan, privateIp, publicIp, serviceTag, userData, launchIndex, groupNames, when,
        placedAt, volumes);
  }

  /**
   * This report of the instance's node laid over what the CC knew: the node's values where it gave
   * one, the CC's where it did not (the node's VM type has no name, for one). The volumes are
   * always the node's: it reports all of them.
   */
  public Instance reportedOver(Instance known) {
    if (known == null) {
      return this;
    }
    VmType type = vmType == null ? known.vmType() : vmType;
    if (type != null && type.name() == null && known.vmType() != null && known.vmType().memory() == type.memory()
        && known.vmType().cores() == type.cores() && known.vmType().disk() == type.disk()) {
      type = known.vmType();
    }
    return new Instance(instanceId, or(reservationId, known.reservationId()), or(ownerId, known.ownerId()),
        or(imageId, known.imageId()), or(kernelId, known.kernelId()), or(ramdiskId, known.ramdiskId()), type,
        or(keyName, known.keyName()), or(launchTime, known.launchTime()), or(stateName, known.stateName()),
        or(privateMac, known.privateMac()), or(publicMac, known.publicMac()), vlan != 0 ? vlan : known.vlan(),
        hasAddress() ? privateIp : known.privateIp(), hasAddress() ? publicIp : known.publicIp(), serviceTag,
        or(userData, known.userData()), or(launchIndex, known.launchIndex()),
        groupNames.isEmpty() ? known.groupNames() : groupNames, lastSeen, placedAt, volumes);
  }

  private static <T> T or(T mine, T theirs) {
    return mine == null || (mine instanceof String s && s.isEmpty()) ? theirs : mine;
  }
}
