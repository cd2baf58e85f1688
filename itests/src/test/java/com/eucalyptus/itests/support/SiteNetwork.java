package com.eucalyptus.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The site's side of SYSTEM networking, built as a site administrator would have it: the
 * guests' bridge (VNET_BRIDGE) in the root namespace, and a network namespace standing for the
 * site's router on that bridge. The router leases the guests their addresses (busybox udhcpd,
 * from the test image's busybox package) and redirects 169.254.169.254:80 to the CLC's :8773
 * with a DNAT rule in its own iptables. The CLC is reached over a second veth pair (a transit
 * link) and the root namespace routes the guests' subnet back through the router, so nothing is
 * masqueraded: the CLC sees the guest's own address as the source, as the metadata service
 * needs. The root namespace gets only the bridge, the two host ends of the veth pairs and one
 * route; its iptables are never touched.
 *
 * <p>The root namespace has no address on the bridge, so the router's neighbour table is the one
 * that learns the guests: the CC reads it through {@code /proc/<pid of udhcpd>/net/arp}
 * (VNET_NEIGHBOUR_TABLE), entries on the router's bridge-side interface (VNET_PRIVINTERFACE).
 */
public final class SiteNetwork implements AutoCloseable {
  private final String run = HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(), (byte) new Random().nextInt()});
  /** The guests' bridge (VNET_BRIDGE). */
  public final String bridge = "eucbr" + run;
  /** The router's interface on the bridge; the neighbour table's entries for the guests are on it. */
  public final String routerLan = "eucl" + run + "n";
  private final String lanHost = "eucl" + run + "h";
  private final String transitHost = "euct" + run + "h";
  private final String transitRouter = "euct" + run + "n";
  public final String namespace = "euca-it-site-" + run;
  private final int subnet = 1 + new Random().nextInt(250);
  /** The guests' subnet prefix, e.g. "10.254.17." (router .1, leases .10 to .30). */
  public final String guestNet = "10.254." + subnet + ".";
  /** The root namespace's end of the transit link: where the router sends the metadata requests. */
  public final String clcAddress = "10.253." + subnet + ".1";
  private final String routerTransit = "10.253." + subnet + ".2";
  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final List<String> undo = new ArrayList<>();
  private Process dhcpd;

  private SiteNetwork(Path dir) {
    this.dir = dir;
  }

  /**
   * Builds the site network; {@code busyboxDeb} is Debian's busybox-static package (udhcpd),
   * {@code clcPort} the CLC's port the metadata address is redirected to.
   */
  public static SiteNetwork build(Path dir, Path busyboxDeb, int clcPort) {
    SiteNetwork site = new SiteNetwork(dir);
    try {
      site.setUp(busyboxDeb, clcPort);
      return site;
    } catch (RuntimeException | Error e) {
      String diag = site.diagnostics();
      site.close();
      throw new AssertionError("building the site network failed: " + e.getMessage() + " | " + diag, e);
    }
  }

  private void setUp(Path busyboxDeb, int clcPort) throws UncheckedIOException {
    try {
      Files.createDirectories(dir);
      sh("dpkg-deb", "-x", busyboxDeb.toString(), dir.resolve("busybox").toString());
      Path busybox = dir.resolve("busybox/bin/busybox");

      sh("ip", "link", "add", "name", bridge, "type", "bridge");
      undo.add(0, "ip link del " + bridge);
      sh("ip", "link", "set", bridge, "up");
      sh("ip", "netns", "add", namespace);
      undo.add(0, "ip netns del " + namespace);
      // the router's leg on the guests' bridge
      sh("ip", "link", "add", lanHost, "type", "veth", "peer", "name", routerLan);
      undo.add(0, "ip link del " + lanHost);
      sh("ip", "link", "set", lanHost, "master", bridge, "up");
      sh("ip", "link", "set", routerLan, "netns", namespace);
      // the transit link between the router and the host the CLC runs on
      sh("ip", "link", "add", transitHost, "type", "veth", "peer", "name", transitRouter);
      undo.add(0, "ip link del " + transitHost);
      sh("ip", "link", "set", transitRouter, "netns", namespace);
      sh("ip", "addr", "add", clcAddress + "/30", "dev", transitHost);
      sh("ip", "link", "set", transitHost, "up");
      sh("ip", "route", "add", guestNet + "0/24", "via", routerTransit, "dev", transitHost);

      nsOk("ip", "link", "set", "lo", "up");
      nsOk("ip", "addr", "add", guestNet + "1/24", "dev", routerLan);
      // answered on the LAN too, for a guest that takes 169.254/16 as on-link
      nsOk("ip", "addr", "add", "169.254.169.254/32", "dev", routerLan);
      nsOk("ip", "link", "set", routerLan, "up");
      nsOk("ip", "addr", "add", routerTransit + "/30", "dev", transitRouter);
      nsOk("ip", "link", "set", transitRouter, "up");
      nsOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
      // the site admin's redirect of the metadata address, inside the router only
      nsOk("iptables", "-t", "nat", "-A", "PREROUTING", "-i", routerLan, "-d", "169.254.169.254/32", "-p", "tcp",
          "--dport", "80", "-j", "DNAT", "--to-destination", clcAddress + ":" + clcPort);

      Files.writeString(dir.resolve("udhcpd.conf"), "interface " + routerLan + "\nstart " + guestNet + "10\nend " + guestNet
          + "30\nmax_leases 21\noption subnet 255.255.255.0\noption router " + guestNet + "1\noption lease 3600\nlease_file "
          + dir.resolve("leases") + "\npidfile " + dir.resolve("udhcpd.pid") + "\n");
      Files.deleteIfExists(dir.resolve("leases"));
      Files.createFile(dir.resolve("leases"));
      // ip netns exec execs udhcpd in place: this process is udhcpd, inside the router namespace
      dhcpd = new ProcessBuilder("ip", "netns", "exec", namespace, busybox.toString(), "udhcpd", "-f",
          dir.resolve("udhcpd.conf").toString()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("udhcpd.log").toFile()).start();
      processes.add(dhcpd);
      CloudInstallation.await(Duration.ofSeconds(10), "udhcpd listening in " + namespace,
          () -> ns("ss", "-uln").stdout().contains(":67 ") ? Boolean.TRUE : null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The router's neighbour table, in /proc/net/arp's format, as the CC reads it (VNET_NEIGHBOUR_TABLE). */
  public Path neighbourTable() {
    return Path.of("/proc/" + dhcpd.pid() + "/net/arp");
  }

  /** The eucalyptus.conf lines of the CC and NC for this network. */
  public Map<String, String> conf() {
    return Map.of("VNET_MODE", "SYSTEM", "VNET_BRIDGE", bridge, "VNET_PRIVINTERFACE", routerLan,
        "VNET_NEIGHBOUR_TABLE", neighbourTable().toString());
  }

  public boolean dhcpdRunning() {
    return dhcpd != null && dhcpd.isAlive();
  }

  /** The router's NAT table with packet counters. */
  public String natRules() {
    return ns("iptables", "-t", "nat", "-L", "PREROUTING", "-n", "-v").stdout();
  }

  public Shell.Result ns(String... cmd) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    all.addAll(List.of(cmd));
    return Shell.run(all, Map.of(), null, Duration.ofMinutes(1));
  }

  /** The leases udhcpd handed out, as "mac ip" lines (udhcpd writes its lease file on demand: SIGUSR1). */
  public String leases() {
    if (dhcpdRunning()) {
      Shell.run(Map.of(), "kill", "-USR1", String.valueOf(dhcpd.pid()));
    }
    Shell.Result r = Shell.run(List.of(dir.resolve("busybox/bin/busybox").toString(), "dumpleases", "-f",
        dir.resolve("leases").toString()), Map.of(), null, Duration.ofSeconds(20));
    return r.stdout().replaceAll("\\s+", " ").strip();
  }

  /** One line: the router's neighbours, leases, NAT counters and udhcpd's log tail. */
  public String diagnostics() {
    StringBuilder sb = new StringBuilder("site network " + namespace + ":");
    try {
      sb.append(" neighbours=[").append(ns("ip", "neigh").stdout().replaceAll("\\s+", " ").strip()).append("]");
      sb.append(" leases=[").append(leases()).append("]");
      sb.append(" nat=[").append(natRules().replaceAll("\\s+", " ").strip()).append("]");
      Path log = dir.resolve("udhcpd.log");
      if (Files.exists(log)) {
        List<String> lines = Files.readAllLines(log);
        sb.append(" udhcpd=[").append(String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size())))
            .append("]");
      }
    } catch (IOException | RuntimeException | AssertionError e) {
      sb.append(" (").append(e.getMessage()).append(")");
    }
    return sb.toString().replace('\n', ' ');
  }

  private static Shell.Result sh(String... cmd) {
    return Shell.run(Map.of(), cmd).assertOk();
  }

  private Shell.Result nsOk(String... cmd) {
    return ns(cmd).assertOk();
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy(); // udhcpd itself (ip netns exec execs it): the process this test started
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
    for (String cmd : undo) {
      Shell.run(List.of(cmd.split(" ")), Map.of(), null, Duration.ofSeconds(30));
    }
    undo.clear();
  }
}
