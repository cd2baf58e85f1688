package com.eucalyptus.nc.hypervisor;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the hypervisor needs to start one instance, independent of how it is said to
 * libvirt.
 *
 * @param name domain name (the instance id)
 * @param owner this NC's mark (see {@link Hypervisor#ownedGuests}); stored with the domain
 * @param ramdisk null when the image runs without one
 * @param bridge VNET_BRIDGE; null for a guest without a NIC
 * @param mac the MAC the CC chose (privateMacAddress)
 * @param consoleLog the file the guest's serial console is written to
 */
public record GuestDefinition(String name, String owner, HypervisorType type, int memoryMb, int cores, Path kernel,
    Path ramdisk, List<GuestDisk> disks, String bridge, String mac, Path consoleLog) {

  public GuestDefinition {
    disks = List.copyOf(disks);
  }

  /** A disk file and the device the guest sees (vda, vdb, sda1, ...). */
  public record GuestDisk(Path file, String device) {
  }
}
