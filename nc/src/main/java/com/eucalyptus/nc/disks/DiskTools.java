package com.eucalyptus.nc.disks;

import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The e2fsprogs and util-linux commands the NC runs on disk image files (never on mounted
 * file systems): mke2fs for the ephemeral disk, mkswap for swap, debugfs to put the SSH key
 * into the root file system. A file system inside a partitioned disk is named
 * {@code disk?offset=N}, which e2fsprogs' unix I/O manager understands.
 */
public final class DiskTools {
  private final CommandRunner commands;

  public DiskTools(CommandRunner commands) {
    this.commands = commands;
  }

  /** An empty ext3 file system filling {@code file} (the ephemeral disk), labelled {@code label}. */
  public void makeExt3(Path file, String label) throws IOException {
    check(commands.run(List.of("mke2fs", "-F", "-q", "-t", "ext3", "-L", label, file.toString()), null, Duration.ofMinutes(10)),
        "mke2fs");
  }

  public void makeSwap(Path file) throws IOException {
    check(commands.run(List.of("mkswap", file.toString()), null, Duration.ofMinutes(5)), "mkswap");
  }

  /**
   * Writes {@code publicKey} as /root/.ssh/authorized_keys (root-owned, 0600, in a 0700 folder) of
   * the ext2/3/4 file system at byte {@code offset} of {@code image}, then reads it back.
   */
  public void injectRootKey(Path image, long offset, String publicKey) throws IOException {
    String fs = image + (offset > 0 ? "?offset=" + offset : "");
    Path keyFile = Files.createTempFile(image.getParent(), "key", ".pub");
    try {
      String key = publicKey.strip() + "\n";
      Files.writeString(keyFile, key, StandardCharsets.US_ASCII);
      // debugfs's mkdir of a folder that exists damages the file system (e2fsck then finds a
      // block claimed twice): make only the missing ones
      List<String> commands = new java.util.ArrayList<>();
      for (String d : List.of("/root", "/root/.ssh")) {
        if (!exists(fs, d)) {
          commands.add("mkdir " + d);
        }
      }
      if (exists(fs, "/root/.ssh/authorized_keys")) {
        commands.add("rm /root/.ssh/authorized_keys");
      }
      commands.addAll(List.of("write " + keyFile + " /root/.ssh/authorized_keys", "set_inode_field /root mode 040700",
          "set_inode_field /root/.ssh mode 040700", "set_inode_field /root/.ssh uid 0", "set_inode_field /root/.ssh gid 0",
          "set_inode_field /root/.ssh/authorized_keys mode 0100600", "set_inode_field /root/.ssh/authorized_keys uid 0",
          "set_inode_field /root/.ssh/authorized_keys gid 0", ""));
      String script = String.join("\n", commands);
      check(this.commands.run(List.of("debugfs", "-w", "-f", "-", fs), script.getBytes(StandardCharsets.US_ASCII),
          Duration.ofMinutes(2)), "debugfs -w");
      String back = readFile(image, offset, "/root/.ssh/authorized_keys");
      if (!back.equals(key)) {
        throw new IOException("the SSH key could not be written into the root file system of " + image
            + " (is it an ext2/3/4 file system?)");
      }
    } finally {
      Files.deleteIfExists(keyFile);
    }
  }

  /** Whether {@code path} exists in the ext file system {@code fs} (debugfs stat). */
  private boolean exists(String fs, String path) throws IOException {
    CommandResult r = commands.run(List.of("debugfs", "-R", "stat " + path, fs), null, Duration.ofMinutes(1));
    if (r.stderr().contains("Bad magic number") || r.stderr().contains("Couldn't find valid filesystem")) {
      throw new IOException("the SSH key could not be written: " + fs + " is not an ext2/3/4 file system");
    }
    return r.stdout().contains("Inode:");
  }

  /** A file's content from the ext file system at {@code offset} of {@code image} (debugfs cat). */
  public String readFile(Path image, long offset, String path) throws IOException {
    String fs = image + (offset > 0 ? "?offset=" + offset : "");
    CommandResult r = commands.run(List.of("debugfs", "-R", "cat " + path, fs), null, Duration.ofMinutes(1));
    check(r, "debugfs cat");
    return r.stdout();
  }

  private static void check(CommandResult r, String what) throws IOException {
    if (!r.succeeded()) {
      throw new IOException(what + " failed (exit " + r.exitCode() + "): " + r.stderr().strip());
    }
  }
}
