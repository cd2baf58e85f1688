package com.eucalyptus.nc.disks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk layouts read back with the system's own tools: sfdisk -J for the partition table, debugfs
 * for the injected key, e2fsck for a clean root, blkid for the ephemeral and swap signatures.
 */
class InstanceDiskBuilderTest {
  private static final String KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7test user@host";
  private final CommandRunner sh = new CommandRunner();
  private final InstanceDiskBuilder builder = new InstanceDiskBuilder(new DiskTools(sh));
  @TempDir
  Path tmp;
  Path rootImage;

  @BeforeEach
  void rootFileSystem() throws IOException {
    // a small ext4 image with an (empty) /root/.ssh/authorized_keys, as the test image has
    Path tree = Files.createDirectories(tmp.resolve("tree/root/.ssh"));
    Files.writeString(tree.resolve("authorized_keys"), "");
    Files.writeString(tmp.resolve("tree/hello"), "hello\n");
    rootImage = tmp.resolve("root.img");
    run("mke2fs", "-q", "-F", "-t", "ext4", "-L", "root", "-d", tmp.resolve("tree").toString(), rootImage.toString(), "12M");
  }

  CommandResult run(String... cmd) {
    CommandResult r = sh.run(cmd);
    assertEquals(0, r.exitCode(), String.join(" ", cmd) + ": " + r.stderr());
    return r;
  }

  @Test
  void kvmOneDiskWhoseFirstPartitionIsTheRootWithTheKeyThenEphemeralAndSwap() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("i-1"));
    List<InstanceDiskBuilder.Disk> disks = builder.build(InstanceDiskBuilder.Layout.WHOLE_DISK, rootImage, KEY, 100, 20, dir);
    assertEquals(List.of("vda", "vdb", "vdc"), disks.stream().map(InstanceDiskBuilder.Disk::guestDevice).toList());
    Path disk = dir.resolve("disk");
    String table = run("sfdisk", "-J", disk.toString()).stdout();
    assertTrue(table.contains("\"label\": \"dos\""), table);
    assertTrue(table.matches("(?s).*\"start\":\\s*2048,\\s*\"size\":\\s*24576,\\s*\"type\":\\s*\"83\".*"), table);
    assertEquals(1, table.split("\"node\"").length - 1, "one partition: " + table);
    assertEquals(1024L * 1024 + 12L * 1024 * 1024, Files.size(disk));
    String fs = disk + "?offset=1048576";
    assertEquals(KEY + "\n", run("debugfs", "-R", "cat /root/.ssh/authorized_keys", fs).stdout());
    assertEquals("hello\n", run("debugfs", "-R", "cat /hello", fs).stdout());
    String stat = run("debugfs", "-R", "stat /root/.ssh/authorized_keys", fs).stdout();
    assertTrue(stat.contains("Mode:  0600") && stat.contains("User:     0"), stat);
    assertTrue(run("debugfs", "-R", "stat /root/.ssh", fs).stdout().contains("Mode:  0700"));
    run("e2fsck", "-fn", fs);
    assertTrue(run("blkid", dir.resolve("ephemeral").toString()).stdout().contains("TYPE=\"ext3\""));
    assertEquals(100L - 12 - 20, Files.size(dir.resolve("ephemeral")) / (1024 * 1024), "ephemeral = budget - image - swap");
    assertTrue(run("blkid", dir.resolve("swap").toString()).stdout().contains("TYPE=\"swap\""));
    assertEquals(20L, Files.size(dir.resolve("swap")) / (1024 * 1024));
    assertEquals(0, Files.readAllBytes(rootImage).length == 12 * 1024 * 1024 ? 0 : 1, "the cached image is untouched in size");
    assertEquals("", run("debugfs", "-R", "cat /root/.ssh/authorized_keys", rootImage.toString()).stdout(), "nor in content");
  }

  @Test
  void xenThreePartitionFiles() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("i-2"));
    List<InstanceDiskBuilder.Disk> disks = builder.build(InstanceDiskBuilder.Layout.PARTITION_FILES, rootImage, KEY, 64, 16, dir);
    assertEquals(List.of("sda1", "sda2", "sda3"), disks.stream().map(InstanceDiskBuilder.Disk::guestDevice).toList());
    assertEquals(KEY + "\n", run("debugfs", "-R", "cat /root/.ssh/authorized_keys", dir.resolve("root").toString()).stdout());
    run("e2fsck", "-fn", dir.resolve("root").toString());
    assertTrue(run("blkid", dir.resolve("ephemeral").toString()).stdout().contains("TYPE=\"ext3\""));
    assertTrue(run("blkid", dir.resolve("swap").toString()).stdout().contains("TYPE=\"swap\""));
  }

  @Test
  void withoutAKeyTheImageIsCopiedAsItIsAndWithoutRoomThereIsNoEphemeral() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("i-3"));
    List<InstanceDiskBuilder.Disk> disks = builder.build(InstanceDiskBuilder.Layout.WHOLE_DISK, rootImage, null, 12 + 4, 4, dir);
    assertEquals(List.of("root", "swap"), disks.stream().map(InstanceDiskBuilder.Disk::role).toList());
    assertEquals("", run("debugfs", "-R", "cat /root/.ssh/authorized_keys", dir.resolve("disk") + "?offset=1048576").stdout());
  }

  @Test
  void anImageBiggerThanTheVmTypesDiskIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("i-4"));
    IOException e = assertThrows(IOException.class,
        () -> builder.build(InstanceDiskBuilder.Layout.WHOLE_DISK, rootImage, KEY, 8, 4, dir));
    assertTrue(e.getMessage().contains("does not fit the VM type's disk"), e.getMessage());
  }

  @Test
  void aKeyCannotGoIntoSomethingThatIsNotAnExtFileSystem() throws Exception {
    Path junk = tmp.resolve("junk.img");
    Files.write(junk, new byte[4 * 1024 * 1024]);
    Path dir = Files.createDirectories(tmp.resolve("i-5"));
    IOException e = assertThrows(IOException.class,
        () -> builder.build(InstanceDiskBuilder.Layout.PARTITION_FILES, junk, KEY, 64, 4, dir));
    assertTrue(e.getMessage().contains("SSH key could not be written") || e.getMessage().contains("debugfs"), e.getMessage());
  }
}
