package com.eucalyptus.nc.instances;

import com.eucalyptus.nc.disks.InstanceDiskBuilder;
import com.eucalyptus.nc.hypervisor.GuestDefinition;
import com.eucalyptus.nc.hypervisor.Hypervisor;
import com.eucalyptus.nc.hypervisor.HypervisorException;
import com.eucalyptus.nc.hypervisor.HypervisorType;
import com.eucalyptus.nc.hypervisor.libvirt.DomainXml;
import com.eucalyptus.nc.images.ImageCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Turns a Pending instance into a running guest: images from the cache (fetched from Walrus if
 * needed), kernel and ramdisk copied into the instance folder (libvirt relabels what a guest uses,
 * and the cache must stay untouched), disks built, domain started.
 */
final class InstanceLauncher {
  private static final Logger LOG = LogManager.getLogger(InstanceLauncher.class);
  private final Hypervisor hypervisor;
  private final ImageCache cache;
  private final InstanceDiskBuilder disks;
  private final InstanceSettings settings;
  private final GuestBridges bridges;

  InstanceLauncher(Hypervisor hypervisor, ImageCache cache, InstanceDiskBuilder disks, InstanceSettings settings,
      GuestBridges bridges) {
    this.hypervisor = hypervisor;
    this.cache = cache;
    this.disks = disks;
    this.settings = settings;
    this.bridges = bridges;
  }

  /** Prepares everything on disk; returns the guest to start. */
  GuestDefinition prepare(Instance instance) throws IOException {
    LaunchRequest r = instance.request();
    Path dir = instance.dir();
    Path kernel = dir.resolve("kernel");
    long t0 = System.nanoTime();
    try (ImageCache.Lease k = cache.acquire(r.kernelId(), r.kernelUrl())) {
      Files.copy(k.file(), kernel, StandardCopyOption.REPLACE_EXISTING);
    }
    LOG.info("instance {}: kernel {} ready ({} ms)", r.instanceId(), r.kernelId(), millisSince(t0));
    Path ramdisk = null;
    if (r.ramdiskId() != null && !r.ramdiskId().isBlank() && r.ramdiskUrl() != null) {
      ramdisk = dir.resolve("ramdisk");
      try (ImageCache.Lease rd = cache.acquire(r.ramdiskId(), r.ramdiskUrl())) {
        Files.copy(rd.file(), ramdisk, StandardCopyOption.REPLACE_EXISTING);
      }
      LOG.info("instance {}: ramdisk {} ready ({} ms)", r.instanceId(), r.ramdiskId(), millisSince(t0));
    }
    List<InstanceDiskBuilder.Disk> built;
    try (ImageCache.Lease image = cache.acquire(r.imageId(), r.imageUrl())) {
      LOG.info("instance {}: image {} ready ({} ms)", r.instanceId(), r.imageId(), millisSince(t0));
      InstanceDiskBuilder.Layout layout = settings.type() == HypervisorType.XEN
          ? InstanceDiskBuilder.Layout.PARTITION_FILES : InstanceDiskBuilder.Layout.WHOLE_DISK;
      built = disks.build(layout, image.file(), r.keyName(), r.diskGb() * 1024L, settings.swapMb(), dir);
    }
    LOG.info("instance {}: disks built ({} ms)", r.instanceId(), millisSince(t0));
    List<GuestDefinition.GuestDisk> guestDisks = new ArrayList<>();
    for (InstanceDiskBuilder.Disk d : built) {
      guestDisks.add(new GuestDefinition.GuestDisk(d.file(), d.guestDevice()));
    }
    String bridge = bridges.bridgeFor(r);
    GuestDefinition g = new GuestDefinition(r.instanceId(), settings.owner(), settings.type(), r.memoryMb(), Math.max(1, r.cores()),
        kernel, ramdisk, guestDisks, bridge, r.privateMacAddress(), instance.consoleLog());
    // kept for the admin (virsh create libvirt.xml starts the same guest by hand)
    Files.writeString(dir.resolve("libvirt.xml"), DomainXml.of(g));
    return g;
  }

  void start(GuestDefinition g) throws HypervisorException {
    long t0 = System.nanoTime();
    LOG.info("instance {}: starting the domain", g.name());
    hypervisor.start(g);
    LOG.info("instance {}: domain started ({} ms)", g.name(), millisSince(t0));
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
