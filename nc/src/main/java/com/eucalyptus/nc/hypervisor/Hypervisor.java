package com.eucalyptus.nc.hypervisor;

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

  @Override
  void close();

  /** @param memoryMb total memory in MB; @param cores logical processors */
  record HostInfo(long memoryMb, int cores) {
  }

  enum GuestState {
    RUNNING, STOPPED, ABSENT
  }
}
