package com.eucalyptus.nc.hypervisor;

/**
 * The NC's one seam to the hypervisor (as Nova's ComputeDriver): the rest of the NC never knows
 * whether KVM, Xen or plain QEMU is underneath. Run, terminate and the rest join it with the
 * Instances issue.
 */
public interface Hypervisor extends AutoCloseable {

  /** Memory and processors of the host, as the hypervisor sees them. */
  HostInfo hostInfo() throws HypervisorException;

  @Override
  void close();

  /** @param memoryMb total memory in MB; @param cores logical processors */
  record HostInfo(long memoryMb, int cores) {
  }
}
