package com.eucalyptus.nc.instances;

/**
 * A volume attached to an instance, as recorded in its {@code instance.properties} and reported
 * in ncDescribeInstances' {@code volumes}.
 *
 * @param remoteDev the export, as the CC sent it (nbd://host:port/export)
 * @param localDev the device the user asked for (/dev/sdb): a hint, reported back as given
 * @param target the device libvirt knows the disk by (vdb, vdd, ...)
 * @param state "attaching" while the hot-plug is under way, "attached", "detaching" while the
 *     guest is asked to let go
 */
public record VolumeAttachment(String volumeId, String remoteDev, String localDev, String target, String state) {
  public static final String ATTACHING = "attaching";
  public static final String ATTACHED = "attached";
  public static final String DETACHING = "detaching";

  VolumeAttachment in(String newState) {
    return new VolumeAttachment(volumeId, remoteDev, localDev, target, newState);
  }
}
