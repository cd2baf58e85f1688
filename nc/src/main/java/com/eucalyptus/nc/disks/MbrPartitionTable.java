package com.eucalyptus.nc.disks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes a classic MBR partition table into the first sector of a disk image file: what sfdisk
 * would write, done in Java so that building a disk needs neither sfdisk nor a loop device.
 * Partitions are given in 512-byte sectors; CHS fields carry the "beyond CHS" marker (LBA only),
 * as every current partitioning tool writes for large disks.
 */
public final class MbrPartitionTable {
  public static final int SECTOR = 512;
  /** Linux native (83). */
  public static final int TYPE_LINUX = 0x83;

  private MbrPartitionTable() {
  }

  /** One primary partition: first sector, length in sectors, MBR type byte. */
  public record Partition(long startSector, long sectors, int type) {
  }

  public static void write(Path disk, List<Partition> partitions) throws IOException {
    if (partitions.size() > 4) {
      throw new IllegalArgumentException("an MBR holds at most 4 primary partitions");
    }
    ByteBuffer mbr = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    // a disk identifier, so tools that print one show something stable
    mbr.putInt(440, 0x45554341); // "EUCA"
    int i = 0;
    for (Partition p : partitions) {
      if (p.startSector() > 0xFFFFFFFFL || p.sectors() > 0xFFFFFFFFL) {
        throw new IllegalArgumentException("partition beyond 2 TiB does not fit an MBR");
      }
      int at = 446 + 16 * i++;
      mbr.put(at, (byte) 0x00); // not bootable: the kernel is given by the hypervisor
      putChsBeyond(mbr, at + 1);
      mbr.put(at + 4, (byte) p.type());
      putChsBeyond(mbr, at + 5);
      mbr.putInt(at + 8, (int) p.startSector());
      mbr.putInt(at + 12, (int) p.sectors());
    }
    mbr.put(510, (byte) 0x55);
    mbr.put(511, (byte) 0xAA);
    try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
      ch.write(mbr.rewind(), 0);
    }
  }

  private static void putChsBeyond(ByteBuffer b, int at) {
    b.put(at, (byte) 0xFE);
    b.put(at + 1, (byte) 0xFF);
    b.put(at + 2, (byte) 0xFF);
  }
}
