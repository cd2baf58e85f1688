package com.eucalyptus.itests.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A shell on a guest of the test image: OpenSSH's client, run inside network namespace
 * {@code ns} (one on the guests' bridge, such as {@link SiteNetwork}'s router), to the image's
 * dropbear as root with the private half of a key pair the cloud made. What a user does with
 * a running instance, so the checks see the disks and the bytes the guest itself sees.
 */
public final class GuestShell {
  private final String ns;
  private final Path key;
  private final String ip;

  public GuestShell(String ns, Path key, String ip) {
    this.ns = ns;
    this.key = key;
    this.ip = ip;
  }

  public String ip() {
    return ip;
  }

  /** ssh root@ip command, BatchMode, 6 s to connect; exit 255 when no connection could be made. */
  public Shell.Result run(String command) {
    return run(command, Duration.ofSeconds(60));
  }

  public Shell.Result run(String command, Duration limit) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "ssh", "-i", key.toString(), "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=6", "-o",
        "LogLevel=ERROR", "root@" + ip, command));
    return Shell.run(cmd, Map.of(), null, limit);
  }

  /** Runs {@code command} until it succeeds (ssh up, command exit 0) or {@code limit} passes; its output. */
  public String awaitOk(String command, Duration limit, String what) {
    return CloudInstallation.await(limit, Duration.ofSeconds(2), what + " (ssh root@" + ip + ")", () -> "", () -> {
      Shell.Result r = run(command);
      if (r.exitCode() != 0) {
        throw new AssertionError("exit " + r.exitCode() + ": " + r.all().strip().replace('\n', ' '));
      }
      return r.stdout();
    });
  }

  /** The guest's block devices: the names under /sys/block, sorted. */
  public List<String> blockDevices() {
    String out = awaitOk("ls /sys/block", Duration.ofSeconds(60), "the guest's /sys/block");
    return Arrays.stream(out.split("\\s+")).filter(s -> !s.isBlank()).sorted().toList();
  }

  /** The size of /dev/NAME in bytes as the guest's kernel sees it (/sys/block/NAME/size, 512-byte sectors). */
  public long sizeBytes(String name) {
    return Long.parseLong(awaitOk("cat /sys/block/" + name + "/size", Duration.ofSeconds(30), "the size of " + name).strip())
        * 512;
  }

  /**
   * Writes {@code text} (one line, at most 511 bytes) at 512-byte sector {@code sector} of
   * /dev/NAME, padded with zeros, and flushes it to the device.
   */
  public void writeSector(String name, long sector, String text) {
    awaitOk("printf '%s\\n' '" + text + "' > /tmp/sector && dd if=/tmp/sector of=/dev/" + name + " bs=512 count=1 seek="
        + sector + " conv=sync 2>/dev/null && sync && blockdev --flushbufs /dev/" + name, Duration.ofSeconds(60),
        "writing sector " + sector + " of " + name);
  }

  /**
   * The first line of 512-byte sector {@code sector} of /dev/NAME, read from the device (the
   * guest's page cache dropped first, so the bytes come from the volume, not from memory).
   */
  public String readSector(String name, long sector) {
    String out = awaitOk("sync; echo 3 > /proc/sys/vm/drop_caches; blockdev --flushbufs /dev/" + name + "; dd if=/dev/"
        + name + " bs=512 count=1 skip=" + sector + " 2>/dev/null | tr -d '\\000' | head -n 1", Duration.ofSeconds(60),
        "reading sector " + sector + " of " + name);
    return out.strip();
  }
}
