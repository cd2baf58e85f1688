package com.eucalyptus.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this host offers, read independently of the product (virsh and the file system), so a test
 * can check the counts the cloud reports against the machine.
 */
public record HostResources(long memoryMb, int cores, long diskGb) {

  public static HostResources read(Path instancePath) {
    String info = Shell.run(Map.of(), "virsh", "-c", "qemu:///system", "nodeinfo").assertOk().stdout();
    long memKib = Long.parseLong(find(info, "Memory size:\\s+(\\d+) KiB"));
    int cpus = Integer.parseInt(find(info, "CPU\\(s\\):\\s+(\\d+)"));
    try {
      Files.createDirectories(instancePath);
      long free = instancePath.toFile().getUsableSpace();
      return new HostResources(memKib / 1024, cpus, free / (1024L * 1024 * 1024));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new AssertionError("no " + regex + " in:\n" + text);
    }
    return m.group(1);
  }

  /** How many instances of a type fit: the 1.5.2 rule (the scarcest of memory, cores, disk). */
  public long fits(int typeCores, int typeMemMb, int typeDiskGb) {
    return Math.min(memoryMb / typeMemMb, Math.min(cores / typeCores, diskGb / typeDiskGb));
  }
}
