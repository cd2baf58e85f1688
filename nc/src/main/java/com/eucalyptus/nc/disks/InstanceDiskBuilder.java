package com.eucalyptus.nc.disks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Builds an instance's disks from its machine image, as the 1.5.2 NC laid them out:
 * <ul>
 * <li>{@link Layout#WHOLE_DISK} (kvm, qemu): {@code disk}, one MBR-partitioned disk whose first
 * partition (at 1 MiB) holds the root file system, seen by the guest as vda with root=/dev/vda1;
 * {@code ephemeral} (ext3) as vdb and {@code swap} as vdc;</li>
 * <li>{@link Layout#PARTITION_FILES} (xen): {@code root}, {@code ephemeral} and {@code swap} as
 * the separate partitions sda1, sda2, sda3.</li>
 * </ul>
 * The VM type's disk is the instance's whole disk budget: ephemeral = budget - image - swap (no
 * ephemeral disk when nothing is left). The SSH public key goes into /root/.ssh/authorized_keys of
 * the root file system. Nothing is mounted.
 */
public final class InstanceDiskBuilder {
  private static final Logger LOG = LogManager.getLogger(InstanceDiskBuilder.class);
  private static final long MIB = 1024L * 1024;
  /** Where the root partition starts in a whole disk: 1 MiB, as current partitioning tools align. */
  public static final long ROOT_PARTITION_OFFSET = MIB;

  public enum Layout {
    WHOLE_DISK, PARTITION_FILES
  }

  /** One disk file and the device name the guest sees it as (vda, sda1, ...). */
  public record Disk(Path file, String guestDevice, String role) {
  }

  private final DiskTools tools;

  public InstanceDiskBuilder(DiskTools tools) {
    this.tools = tools;
  }

  /**
   * @param rootImage the cached machine image (a file system image), copied, never changed
   * @param sshPublicKey the key text, or null/blank for none
   * @param diskBudgetMb the VM type's disk in MB
   * @param swapMb SWAP_SIZE
   */
  public List<Disk> build(Layout layout, Path rootImage, String sshPublicKey, long diskBudgetMb, long swapMb, Path dir)
      throws IOException {
    long rootBytes = Files.size(rootImage);
    long rootMb = (rootBytes + MIB - 1) / MIB;
    if (rootMb > diskBudgetMb) {
      throw new IOException("the image (" + rootMb + " MB) does not fit the VM type's disk (" + diskBudgetMb + " MB)");
    }
    long swap = Math.max(0, Math.min(swapMb, diskBudgetMb - rootMb));
    long ephemeralMb = diskBudgetMb - rootMb - swap;
    boolean key = sshPublicKey != null && !sshPublicKey.isBlank();
    List<Disk> disks = new ArrayList<>();
    if (layout == Layout.WHOLE_DISK) {
      Path disk = dir.resolve("disk");
      long partitionSectors = rootMb * MIB / MbrPartitionTable.SECTOR;
      createSparse(disk, ROOT_PARTITION_OFFSET + rootMb * MIB);
      MbrPartitionTable.write(disk, List.of(new MbrPartitionTable.Partition(ROOT_PARTITION_OFFSET / MbrPartitionTable.SECTOR,
          partitionSectors, MbrPartitionTable.TYPE_LINUX)));
      copyInto(rootImage, disk, ROOT_PARTITION_OFFSET);
      if (key) {
        tools.injectRootKey(disk, ROOT_PARTITION_OFFSET, sshPublicKey);
      }
      disks.add(new Disk(disk, "vda", "root"));
      if (ephemeralMb > 0) {
        disks.add(new Disk(ephemeral(dir, ephemeralMb), "vdb", "ephemeral"));
      }
      if (swap > 0) {
        disks.add(new Disk(swap(dir, swap), "vdc", "swap"));
      }
    } else {
      Path root = dir.resolve("root");
      createSparse(root, rootBytes);
      copyInto(rootImage, root, 0);
      if (key) {
        tools.injectRootKey(root, 0, sshPublicKey);
      }
      disks.add(new Disk(root, "sda1", "root"));
      if (ephemeralMb > 0) {
        disks.add(new Disk(ephemeral(dir, ephemeralMb), "sda2", "ephemeral"));
      }
      if (swap > 0) {
        disks.add(new Disk(swap(dir, swap), "sda3", "swap"));
      }
    }
    LOG.info("disks in {}: root {} MB, ephemeral {} MB, swap {} MB, key {}", dir, rootMb, ephemeralMb, swap,
        key ? "injected" : "none given");
    return disks;
  }

  private Path ephemeral(Path dir, long mb) throws IOException {
    Path f = dir.resolve("ephemeral");
    createSparse(f, mb * MIB);
    tools.makeExt3(f, "ephemeral");
    return f;
  }

  private Path swap(Path dir, long mb) throws IOException {
    Path f = dir.resolve("swap");
    createSparse(f, mb * MIB);
    tools.makeSwap(f);
    return f;
  }

  private static void createSparse(Path file, long bytes) throws IOException {
    Files.deleteIfExists(file);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(bytes);
    }
  }

  /** Copies {@code source} into {@code target} at byte {@code offset}. */
  private static void copyInto(Path source, Path target, long offset) throws IOException {
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
      long size = in.size();
      long done = 0;
      while (done < size) {
        done += in.transferTo(done, size - done, out.position(offset + done));
      }
    }
  }
}
