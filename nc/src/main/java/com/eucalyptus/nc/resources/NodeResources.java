package com.eucalyptus.nc.resources;

import com.eucalyptus.nc.hypervisor.Hypervisor;
import com.eucalyptus.nc.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this node offers, as ncDescribeResource reports it: memory (MB) and cores from the
 * hypervisor, disk (GB) of the file system holding INSTANCE_PATH. MAX_MEM, MAX_CORES and MAX_DISK
 * in eucalyptus.conf replace the detected maximum, up or down (an admin may over- or
 * under-commit). Available = maximum minus what this node's instances hold.
 */
public final class NodeResources {
  private final Hypervisor hypervisor;
  private final Path instancePath;
  private final Limits overrides;
  private final InstanceUsage usage;

  /** MAX_MEM / MAX_CORES / MAX_DISK; a value of 0 or less means "detect". */
  public record Limits(long maxMemMb, int maxCores, long maxDiskGb) {
  }

  /** Resources held by instances on this node (none until the Instances issue runs guests). */
  public interface InstanceUsage {
    Snapshot used();

    InstanceUsage NONE = () -> new Snapshot(0, 0, 0, 0, 0, 0, "");
  }

  /** One ncDescribeResource answer. */
  public record Snapshot(long memoryMaxMb, long memoryAvailableMb, long diskMaxGb, long diskAvailableGb, int coresMax,
      int coresAvailable, String status) {
  }

  public NodeResources(Hypervisor hypervisor, Path instancePath, Limits overrides, InstanceUsage usage) {
    this.hypervisor = hypervisor;
    this.instancePath = instancePath;
    this.overrides = overrides;
    this.usage = usage;
  }

  public Snapshot describe() throws HypervisorException, IOException {
    Hypervisor.HostInfo host = hypervisor.hostInfo();
    long mem = overrides.maxMemMb() > 0 ? overrides.maxMemMb() : host.memoryMb();
    int cores = overrides.maxCores() > 0 ? overrides.maxCores() : host.cores();
    long disk = overrides.maxDiskGb() > 0 ? overrides.maxDiskGb() : diskFreeGb();
    Snapshot used = usage.used();
    return new Snapshot(mem, Math.max(0, mem - used.memoryMaxMb()), disk, Math.max(0, disk - used.diskMaxGb()), cores,
        Math.max(0, cores - used.coresMax()), "ok");
  }

  /** Room for instance files: the free space of the file system INSTANCE_PATH lives on. */
  private long diskFreeGb() throws IOException {
    Files.createDirectories(instancePath);
    // File.getUsableSpace is statvfs on the folder: no mount-table lookup, which fails in chroots
    return instancePath.toFile().getUsableSpace() / (1024L * 1024 * 1024);
  }
}
