package com.eucalyptus.nc.hypervisor;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The NC's one seam to the hypervisor (as Nova's ComputeDriver): the rest of the NC never knows
 * whether KVM, Xen or plain QEMU is underneath.
 */
public interface Hypervisor extends AutoCloseable {

  /** Memory and processors of the host, as the hypervisor sees them. */
  HostInfo hostInfo() throws HypervisorException;

  /** Starts a guest (a transient domain: it is gone once destroyed or shut down). */
  void start(GuestDefinition guest) throws HypervisorException;

  /** Names of the running guests that carry {@code owner}'s mark: this NC's, never another's. */
  Set<String> ownedGuests(String owner) throws HypervisorException;

  /** The state of guest {@code name} if it carries {@code owner}'s mark; ABSENT otherwise. */
  GuestState state(String name, String owner) throws HypervisorException;

  /** Whether a domain called {@code name} exists, whoever started it. */
  boolean nameTaken(String name) throws HypervisorException;

  /** Stops guest {@code name} at once (pulls the plug); nothing happens when it is not there. */
  void destroy(String name) throws HypervisorException;

  /** Restarts guest {@code name}: the guest boots again in the same domain. */
  void reboot(String name) throws HypervisorException;

  /**
   * Hot-plugs {@code disk} into the running guest {@code name}: live, and into the stored
   * definition too when the domain is persistent (the NC's are transient).
   */
  void attachDisk(String name, NetworkDisk disk) throws HypervisorException;

  /**
   * Asks guest {@code name} to release {@code disk} (a hot-unplug the guest must acknowledge) and
   * waits up to {@code wait}; returns whether the disk is gone. A disk already gone is released.
   */
  boolean detachDisk(String name, NetworkDisk disk, Duration wait) throws HypervisorException;

  /** The disks guest {@code name} has now (empty when there is no such guest). */
  List<AttachedDisk> disks(String name) throws HypervisorException;

  @Override
  void close();

  /** A disk of a running guest: the device libvirt knows it by and its serial (null when none). */
  record AttachedDisk(String target, String serial) {
  }

  /** @param memoryMb total memory in MB; @param cores logical processors */
  record HostInfo(long memoryMb, int cores) {
  }

  enum GuestState {
    RUNNING, STOPPED, ABSENT
  }
}
