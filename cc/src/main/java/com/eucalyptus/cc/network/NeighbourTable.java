package com.eucalyptus.cc.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The kernel's IPv4 neighbour (ARP) table, as /proc/net/arp shows it: which address each MAC has
 * on the guests' network. In SYSTEM mode a DHCP server the cloud does not run leases the guests
 * their addresses, and the CC learns them here, as the original's mac2ip did.
 *
 * <p>/proc/net/arp is the table of the reader's network namespace; {@code /proc/<pid>/net/arp} is
 * that of the process {@code pid} (the test reads a namespace of its own that way).
 */
public final class NeighbourTable {
  /** ATF_COM: the entry is complete (an address was resolved). */
  private static final int COMPLETE = 0x2;
  private final Path source;
  private final String device;

  /**
   * @param source the table in /proc/net/arp's format
   * @param device only entries on this interface count (the bridge or interface on the guests'
   *     network); null or blank for all
   */
  public NeighbourTable(Path source, String device) {
    this.source = source;
    this.device = device == null || device.isBlank() ? null : device.strip();
  }

  public static NeighbourTable system(String device) {
    return new NeighbourTable(Path.of("/proc/net/arp"), device);
  }

  /** MAC (lower case, colon-separated) to IPv4 address, complete entries only. */
  public Map<String, String> read() throws IOException {
    return parse(Files.readAllLines(source, StandardCharsets.US_ASCII), device);
  }

  static Map<String, String> parse(List<String> lines, String device) {
    Map<String, String> out = new HashMap<>();
    // IP address  HW type  Flags  HW address  Mask  Device
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 6) {
        continue;
      }
      int flags;
      try {
        flags = Integer.decode(f[2]);
      } catch (NumberFormatException e) {
        continue;
      }
      String mac = f[3].toLowerCase(Locale.ROOT);
      if ((flags & COMPLETE) == 0 || mac.equals("00:00:00:00:00:00") || (device != null && !device.equals(f[5]))) {
        continue;
      }
      out.put(mac, f[0]);
    }
    return out;
  }
}
