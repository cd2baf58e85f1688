package com.eucalyptus.itests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The MANAGED-NOVLAN (and STATIC) topology of the networking issue's acceptance, built with network
 * namespaces on one machine:
 *
 * <pre>
 *   root namespace = the node           front end's namespace (the CC)        "internet" namespace
 *   libvirtd, QEMU guests, NC, CLC
 *   bridge (VNET_BRIDGE) ── privHost ═══ privFront (VNET_PRIVINTERFACE)
 *                                          dhcpd, iptables, router addresses
 *   transitHost  10.241.K.1/30 ══════════ transitFront 10.241.K.2/30
 *   (VNET_CLOUDIP; route SUBNET via .2)   pubFront 10.242.K.1/24 (VNET_PUBINTERFACE) ═══ pubInet 10.242.K.254/24
 *                                          public pool 10.242.K.10-17, .20
 * </pre>
 *
 * The CLC in the root namespace reaches the CC's :8774 at the front end's transit address; the
 * root namespace routes the guests' subnet through the front end, so the CLC sees a guest's own
 * address on a metadata request. The front end's private interface has no address of its own:
 * the CC puts the router addresses on it (MANAGED-NOVLAN); for STATIC the test adds the admin's
 * router address ({@link #addStaticRouter}). Nothing is done to the root namespace's iptables; the
 * root namespace gets only the bridge, two veth ends, one address and one route, and
 * {@link #close} removes them, ends what runs in the two namespaces (by pid) and deletes them.
 *
 * <p>An optional third namespace, {@link #clcNamespace}, stands for a CLC on a host of its own
 * ({@link #addClcHost}): linked to the front end (10.243.K.1 CLC, .2 front end), routing
 * everything through it, and the root namespace routes the CLC's link through the front end too
 * (the NC fetches images from the CLC's Walrus).
 *
 * <p>For MANAGED ({@link #addUnderlay}, {@link #addSecondNode}, {@link #addStandInGuest}) the
 * bridge becomes the private network's switch between the front end and the nodes, with
 * 10.244.K.0/24 on it (the root namespace .1 on the bridge, the front end .2, a second node's
 * namespace .3 on a veth port); the groups' own bridges, eucabr&lt;vlan&gt;, are the daemons' to
 * make. {@link #close} deletes those namespaces too.
 */
public final class FrontEndNetwork implements AutoCloseable {
  private final String run = HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(), (byte) new Random().nextInt()});
  private final int k = 1 + new Random().nextInt(250);

  /** The front end's namespace: the CC, its dhcpd and iptables. */
  public final String frontEnd = "euca-it-fe-" + run;
  /** The public side's namespace: a host "on the internet". */
  public final String internet = "euca-it-inet-" + run;
  /** The CLC's own host, when {@link #addClcHost} made it. */
  public final String clcNamespace = "euca-it-clc-" + run;

  /** The guests' bridge in the root namespace (the NC's VNET_BRIDGE). */
  public final String bridge = "eunb" + run;
  private final String privHost = "eunp" + run + "h";
  /** The front end's end of the veth on the bridge (the CC's VNET_PRIVINTERFACE). */
  public final String privFront = "eunp" + run + "f";
  private final String transitHost = "eunt" + run + "h";
  private final String transitFront = "eunt" + run + "f";
  /** The front end's public interface (VNET_PUBINTERFACE). */
  public final String pubFront = "eunu" + run + "f";
  private final String pubInet = "eunu" + run + "i";
  private final String clcFront = "eunc" + run + "f";
  private final String clcHost = "eunc" + run + "c";

  /** VNET_SUBNET (a /24, VNET_NETMASK 255.255.255.0). */
  public final String subnet = "10.240." + k + ".0";
  public final String subnetPrefix = "10.240." + k + ".";
  public final String netmask = "255.255.255.0";
  /** The root namespace's transit address: the CLC as the front end sees it (VNET_CLOUDIP), and the node (NODES). */
  public final String rootTransit = "10.241." + k + ".1";
  /** The front end's transit address: where the CLC registers the cluster. */
  public final String frontTransit = "10.241." + k + ".2";
  /** The front end's own public address. */
  public final String frontPublic = "10.242." + k + ".1";
  /** The internet host's address. */
  public final String internetAddress = "10.242." + k + ".254";
  /** VNET_PUBLICIPS: a range and a single address. */
  public final List<String> publicPool;
  /** The CLC's address when it runs in {@link #clcNamespace}. */
  public final String clcAddress = "10.243." + k + ".1";
  private final String clcFrontAddress = "10.243." + k + ".2";

  /**
   * MANAGED's private network between the front end and the nodes ({@link #addUnderlay}): the
   * bridge above, used as the switch, with 10.244.K.0/24 on it. The root namespace (node 1) is
   * .1 on the bridge itself, the front end .2 on its private interface, a second node .3.
   */
  public final String underlayPrefix = "10.244." + k + ".";
  public final String nodeUnderlay = underlayPrefix + "1";
  public final String frontUnderlay = underlayPrefix + "2";
  public final String node2Underlay = underlayPrefix + "3";
  /** The second node's namespace ({@link #addSecondNode}): an NC of its own, no libvirtd. */
  public final String node2 = "euca-it-n2-" + run;
  private final String node2Host = "eun2" + run + "h";
  /** The second node's leg on the switch (its VNET_INTERFACE). */
  public final String node2If = "eun2" + run + "n";

  private final List<String> undo = new ArrayList<>();
  private final List<String> extraNamespaces = new ArrayList<>();
  private boolean clcHostMade;

  private FrontEndNetwork() {
    List<String> pool = new ArrayList<>();
    for (int i = 10; i <= 17; i++) {
      pool.add("10.242." + k + "." + i);
    }
    pool.add("10.242." + k + ".20");
    publicPool = List.copyOf(pool);
  }

  /** Builds the topology; on failure removes what was made and fails with the diagnostics. */
  public static FrontEndNetwork build() {
    FrontEndNetwork net = new FrontEndNetwork();
    try {
      net.setUp();
      return net;
    } catch (RuntimeException | Error e) {
      String diag = net.diagnostics();
      net.close();
      throw new AssertionError("building the front end's network failed: " + e.getMessage() + " | " + diag, e);
    }
  }

  private void setUp() {
    sh("ip", "netns", "add", frontEnd);
    undo.add(0, "ip netns del " + frontEnd);
    sh("ip", "netns", "add", internet);
    undo.add(0, "ip netns del " + internet);
    in(frontEnd, "ip", "link", "set", "lo", "up").assertOk();
    in(internet, "ip", "link", "set", "lo", "up").assertOk();

    // the guests' bridge, and the front end's leg on it
    sh("ip", "link", "add", "name", bridge, "type", "bridge");
    undo.add(0, "ip link del " + bridge);
    sh("ip", "link", "set", bridge, "up");
    sh("ip", "link", "add", privHost, "type", "veth", "peer", "name", privFront);
    undo.add(0, "ip link del " + privHost);
    sh("ip", "link", "set", privHost, "master", bridge, "up");
    sh("ip", "link", "set", privFront, "netns", frontEnd);
    in(frontEnd, "ip", "link", "set", privFront, "up").assertOk();

    // the transit link between the node/CLC host and the front end
    sh("ip", "link", "add", transitHost, "type", "veth", "peer", "name", transitFront);
    undo.add(0, "ip link del " + transitHost);
    sh("ip", "link", "set", transitFront, "netns", frontEnd);
    sh("ip", "addr", "add", rootTransit + "/30", "dev", transitHost);
    sh("ip", "link", "set", transitHost, "up");
    in(frontEnd, "ip", "addr", "add", frontTransit + "/30", "dev", transitFront).assertOk();
    in(frontEnd, "ip", "link", "set", transitFront, "up").assertOk();
    // the CLC's host routes the private subnet through the CC (docs/network.md: metadata)
    sh("ip", "route", "add", subnet + "/24", "via", frontTransit, "dev", transitHost);

    // the public side
    sh("ip", "link", "add", pubFront, "type", "veth", "peer", "name", pubInet);
    sh("ip", "link", "set", pubFront, "netns", frontEnd);
    sh("ip", "link", "set", pubInet, "netns", internet);
    in(frontEnd, "ip", "addr", "add", frontPublic + "/24", "dev", pubFront).assertOk();
    in(frontEnd, "ip", "link", "set", pubFront, "up").assertOk();
    in(internet, "ip", "addr", "add", internetAddress + "/24", "dev", pubInet).assertOk();
    in(internet, "ip", "link", "set", pubInet, "up").assertOk();
  }

  /**
   * The eucalyptus.conf keys of this topology for MANAGED-NOVLAN (the CC's and the NC's: one
   * install, one file). VNET_PUBLICIPS mixes a range and a single address.
   */
  public Map<String, String> managedNoVlanConf() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("VNET_MODE", "MANAGED-NOVLAN");
    c.put("VNET_INTERFACE", privFront);
    c.put("VNET_PRIVINTERFACE", privFront);
    c.put("VNET_PUBINTERFACE", pubFront);
    c.put("VNET_BRIDGE", bridge);
    c.put("VNET_DHCPDAEMON", "/usr/sbin/dhcpd");
    c.put("VNET_DHCPUSER", "root");
    c.put("VNET_SUBNET", subnet);
    c.put("VNET_NETMASK", netmask);
    c.put("VNET_DNS", frontTransit);
    c.put("VNET_ADDRSPERNET", "32");
    c.put("VNET_PUBLICIPS", "10.242." + k + ".10-10.242." + k + ".17 10.242." + k + ".20");
    c.put("VNET_CLOUDIP", rootTransit);
    return c;
  }

  /**
   * MANAGED's keys for the CC (the front end): the groups' networks carried by {@code transport}
   * ("vlan" or "vxlan") over the private interface, whose underlay address is VNET_LOCALIP. No
   * VNET_BRIDGE: each network has its own bridge, eucabr&lt;vlan&gt;. Needs {@link #addUnderlay}.
   */
  public Map<String, String> managedConf(String transport) {
    Map<String, String> c = new LinkedHashMap<>(managedNoVlanConf());
    c.put("VNET_MODE", "MANAGED");
    c.put("VNET_TRANSPORT", transport);
    c.put("VNET_LOCALIP", frontUnderlay);
    c.remove("VNET_BRIDGE");
    return c;
  }

  /**
   * A node's own keys in MANAGED: {@code cc}'s (the same mode, transport and subnet) with the
   * node's interface on the switch and its underlay address.
   */
  public static Map<String, String> managedNodeConf(Map<String, String> cc, String nodeInterface, String nodeAddress) {
    Map<String, String> c = new LinkedHashMap<>(cc);
    c.put("VNET_INTERFACE", nodeInterface);
    c.put("VNET_PRIVINTERFACE", nodeInterface);
    c.put("VNET_LOCALIP", nodeAddress);
    return c;
  }

  /**
   * MANAGED's private network: the bridge becomes the switch between the front end and the nodes,
   * with an underlay address for the root namespace (node 1, on the bridge) and for the front end
   * (on its private interface). The guests are no longer on it: each group gets eucabr&lt;vlan&gt;.
   */
  public void addUnderlay() {
    sh("ip", "addr", "add", nodeUnderlay + "/24", "dev", bridge);
    in(frontEnd, "ip", "addr", "add", frontUnderlay + "/24", "dev", privFront).assertOk();
  }

  /**
   * A second node: a namespace of its own with a leg on the switch ({@link #node2If},
   * {@link #node2Underlay}); libvirtd runs only in the root namespace, so its NC uses libvirt's
   * test driver, but its network side (bridges, VXLAN, fdb) is real, made by that NC.
   */
  public void addSecondNode() {
    sh("ip", "netns", "add", node2);
    extraNamespaces.add(node2);
    in(node2, "ip", "link", "set", "lo", "up").assertOk();
    sh("ip", "link", "add", node2Host, "type", "veth", "peer", "name", node2If);
    undo.add(0, "ip link del " + node2Host);
    sh("ip", "link", "set", node2Host, "master", bridge, "up");
    sh("ip", "link", "set", node2If, "netns", node2);
    in(node2, "ip", "addr", "add", node2Underlay + "/24", "dev", node2If).assertOk();
    in(node2, "ip", "link", "set", node2If, "up").assertOk();
  }

  /**
   * A stand-in guest on the second node: a namespace whose eth0 is a veth port of {@code bridge}
   * in {@link #node2}, with {@code addressWithPrefix} (e.g. 10.240.K.93/27). Returns its namespace.
   */
  public String addStandInGuest(String bridgeOnNode2, String addressWithPrefix) {
    String ns = "euca-it-g2-" + run;
    String hostEnd = "eung" + run + "h";
    sh("ip", "netns", "add", ns);
    extraNamespaces.add(ns);
    in(ns, "ip", "link", "set", "lo", "up").assertOk();
    in(node2, "ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", ns).assertOk();
    in(node2, "ip", "link", "set", hostEnd, "master", bridgeOnNode2, "up").assertOk();
    in(ns, "ip", "addr", "add", addressWithPrefix, "dev", "eth0").assertOk();
    in(ns, "ip", "link", "set", "eth0", "up").assertOk();
    return ns;
  }

  /** The STATIC mode's keys: the admin's router (see {@link #addStaticRouter}) and a MAC map of two pairs. */
  public Map<String, String> staticConf(Map<String, String> macToIp) {
    Map<String, String> c = new LinkedHashMap<>(managedNoVlanConf());
    c.put("VNET_MODE", "STATIC");
    c.put("VNET_BROADCAST", subnetPrefix + "255");
    c.put("VNET_ROUTER", staticRouter());
    c.put("VNET_PUBLICIPS", "");
    StringBuilder map = new StringBuilder();
    macToIp.forEach((mac, ip) -> map.append(map.length() == 0 ? "" : " ").append(mac).append('=').append(ip));
    c.put("VNET_MACMAP", map.toString());
    return c;
  }

  public String staticRouter() {
    return subnetPrefix + "1";
  }

  /** STATIC: the site's router address on the front end's private interface (the admin's, not the CC's). */
  public void addStaticRouter() {
    in(frontEnd, "ip", "addr", "replace", staticRouter() + "/24", "dev", privFront).assertOk();
    // a site router that says at once that 169.254.169.254 is unreachable (STATIC has no metadata
    // service): without this the kernel's ICMP rate limit drops most of the "unreachable" answers,
    // and each of the image's 30 metadata attempts waits out its 10 s time-out
    in(frontEnd, "sysctl", "-q", "-w", "net.ipv4.icmp_ratelimit=0").assertOk();
  }

  /**
   * The front end as a freshly provisioned host between two modes: its processes other than a
   * running daemon's JVM ended (the CC's dhcpd: started by this test's CC), its iptables emptied
   * (every chain of filter and nat flushed and deleted), the private interface's addresses and
   * the public interface's elastic ones removed. Only the front end's namespace is touched.
   */
  public void resetFrontEnd() {
    List<Long> dhcpd = frontEndProcesses("dhcpd");
    for (long p : dhcpd) {
      Shell.run(List.of("kill", "-TERM", String.valueOf(p)), Map.of(), null, Duration.ofSeconds(10));
    }
    CloudInstallation.await(Duration.ofSeconds(10), "dhcpd " + dhcpd + " gone",
        () -> dhcpd.stream().noneMatch(p -> Files.exists(Path.of("/proc/" + p))) ? Boolean.TRUE : null);
    for (String table : List.of("filter", "nat")) {
      fe("iptables", "-t", table, "-F").assertOk();
      fe("iptables", "-t", table, "-X").assertOk();
    }
    fe("ip", "addr", "flush", "dev", privFront).assertOk();
    // the public interface keeps only the front end's own address (no elastic IPs)
    fe("ip", "-4", "addr", "flush", "dev", pubFront).assertOk();
    fe("ip", "addr", "add", frontPublic + "/24", "dev", pubFront).assertOk();
  }

  public void removeStaticRouter() {
    in(frontEnd, "ip", "addr", "del", staticRouter() + "/24", "dev", privFront);
  }

  /**
   * The CLC's own host: a namespace linked to the front end only (default route through it), and
   * a route in the root namespace to that link through the front end.
   */
  public void addClcHost() {
    sh("ip", "netns", "add", clcNamespace);
    clcHostMade = true;
    in(clcNamespace, "ip", "link", "set", "lo", "up").assertOk();
    sh("ip", "link", "add", clcFront, "type", "veth", "peer", "name", clcHost);
    sh("ip", "link", "set", clcFront, "netns", frontEnd);
    sh("ip", "link", "set", clcHost, "netns", clcNamespace);
    in(frontEnd, "ip", "addr", "add", clcFrontAddress + "/30", "dev", clcFront).assertOk();
    in(frontEnd, "ip", "link", "set", clcFront, "up").assertOk();
    in(clcNamespace, "ip", "addr", "add", clcAddress + "/30", "dev", clcHost).assertOk();
    in(clcNamespace, "ip", "link", "set", clcHost, "up").assertOk();
    in(clcNamespace, "ip", "route", "add", "default", "via", clcFrontAddress).assertOk();
    sh("ip", "route", "add", clcLink(), "via", frontTransit, "dev", transitHost);
  }

  private String clcLink() {
    return "10.243." + k + ".0/30";
  }

  /** Runs a command in namespace {@code ns}. */
  public static Shell.Result in(String ns, String... cmd) {
    return in(ns, Duration.ofMinutes(1), cmd);
  }

  public static Shell.Result in(String ns, Duration timeout, String... cmd) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    all.addAll(List.of(cmd));
    return Shell.run(all, Map.of(), null, timeout);
  }

  public Shell.Result fe(String... cmd) {
    return in(frontEnd, cmd);
  }

  public Shell.Result inet(String... cmd) {
    return in(internet, cmd);
  }

  /** The front end's iptables (filter and nat) without counters and comments: what the CC made. */
  public String frontEndRules() {
    return RootFirewall.normalize(fe("iptables-save").stdout());
  }

  /** The addresses on an interface of the front end, e.g. "10.240.7.65/27". */
  public List<String> frontEndAddresses(String dev) {
    return fe("ip", "-o", "-4", "addr", "show", "dev", dev).stdout().lines().map(l -> l.trim().split("\\s+"))
        .filter(f -> f.length > 3).map(f -> f[3]).toList();
  }

  /** Pids of the processes running in namespace {@code ns}. */
  public static List<Long> pidsIn(String ns) {
    Shell.Result r = Shell.run(List.of("ip", "netns", "pids", ns), Map.of(), null, Duration.ofSeconds(30));
    return r.stdout().lines().map(String::strip).filter(l -> l.matches("\\d+")).map(Long::parseLong).toList();
  }

  /** The command line of a process, or "" when it is gone. */
  public static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).replace('\0', ' ').strip();
    } catch (IOException gone) {
      return "";
    }
  }

  /** The processes of the front end's namespace whose command line contains {@code what}. */
  public List<Long> frontEndProcesses(String what) {
    return pidsIn(frontEnd).stream().filter(p -> cmdline(p).contains(what)).toList();
  }

  /** One line for a failure message: both namespaces' addresses, routes, neighbours, processes and rules. */
  public String diagnostics() {
    StringBuilder sb = new StringBuilder("front end " + frontEnd + ":");
    try {
      sb.append(" addr=[").append(flat(fe("ip", "-br", "addr").stdout())).append("]");
      sb.append(" routes=[").append(flat(fe("ip", "route").stdout())).append("]");
      sb.append(" neigh=[").append(flat(fe("ip", "neigh").stdout())).append("]");
      sb.append(" ip_forward=").append(flat(fe("cat", "/proc/sys/net/ipv4/ip_forward").stdout()));
      List<String> procs = new ArrayList<>();
      for (long p : pidsIn(frontEnd)) {
        String c = cmdline(p);
        procs.add(p + ":" + (c.length() > 80 ? c.substring(0, 80) + "…" : c));
      }
      sb.append(" processes=").append(procs);
      sb.append(" iptables=[").append(flat(fe("iptables-save").stdout().replaceAll("(?m)^#.*$", ""))).append("]");
      sb.append(" | internet ").append(internet).append(": addr=[").append(flat(inet("ip", "-br", "addr").stdout()))
          .append("] neigh=[").append(flat(inet("ip", "neigh").stdout())).append("]");
      sb.append(" | root: bridge ports=[").append(flat(Shell.run(Map.of(), "bridge", "link", "show").stdout()
          .lines().filter(l -> l.contains(bridge)).reduce("", (a, b) -> a + " " + b))).append("]");
      for (String ns : extraNamespaces) {
        sb.append(" | ").append(ns).append(": addr=[").append(flat(in(ns, "ip", "-br", "addr").stdout())).append("]");
      }
      if (clcHostMade) {
        sb.append(" | clc ").append(clcNamespace).append(": addr=[").append(flat(in(clcNamespace, "ip", "-br", "addr").stdout()))
            .append("]");
      }
    } catch (RuntimeException | AssertionError e) {
      sb.append(" (diagnostics failed: ").append(e.getMessage()).append(")");
    }
    return sb.toString();
  }

  private static String flat(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  /** What is left of this topology on the host: links named with its tag, its namespaces. Empty after {@link #close}. */
  public List<String> leftovers() {
    List<String> left = new ArrayList<>();
    Shell.run(Map.of(), "ip", "-o", "link", "show").stdout().lines().filter(l -> l.contains(run)).forEach(left::add);
    Shell.run(Map.of(), "ip", "netns", "list").stdout().lines().filter(l -> l.contains(run)).forEach(left::add);
    Shell.run(Map.of(), "ip", "route").stdout().lines()
        .filter(l -> l.startsWith(subnet + "/") || l.startsWith("10.243." + k + ".") || l.startsWith(underlayPrefix))
        .forEach(left::add);
    return left;
  }

  private static Shell.Result sh(String... cmd) {
    return Shell.run(Map.of(), cmd).assertOk();
  }

  /**
   * Ends what still runs in the namespaces (the CC's dhcpd, a CC the test could not stop: all of
   * it started by this test, each by its pid), then deletes the namespaces (their veth ends, and
   * so the peers, go with them), the bridge, the root's veth ends and routes.
   */
  @Override
  public void close() {
    List<String> namespaces = new ArrayList<>(List.of(frontEnd, internet));
    if (clcHostMade) {
      namespaces.add(clcNamespace);
    }
    namespaces.addAll(extraNamespaces);
    for (String ns : namespaces) {
      endProcessesIn(ns);
    }
    for (String ns : namespaces) {
      Shell.run(List.of("ip", "netns", "del", ns), Map.of(), null, Duration.ofSeconds(30));
    }
    for (String cmd : undo) {
      if (cmd.startsWith("ip netns del")) {
        continue;
      }
      List<String> c = List.of(cmd.split(" "));
      // a link already gone with its namespace's peer answers "Cannot find device": fine
      Shell.run(c, Map.of(), null, Duration.ofSeconds(30));
    }
    undo.clear();
    if (clcHostMade) {
      Shell.run(List.of("ip", "route", "del", clcLink()), Map.of(), null, Duration.ofSeconds(30));
    }
  }

  /** TERM, then KILL after 5 s, to every process of {@code ns} (each by its pid). */
  public static void endProcessesIn(String ns) {
    List<Long> pids = pidsIn(ns);
    if (pids.isEmpty()) {
      return;
    }
    for (long p : pids) {
      Shell.run(List.of("kill", "-TERM", String.valueOf(p)), Map.of(), null, Duration.ofSeconds(10));
    }
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < end && pids.stream().anyMatch(p -> Files.exists(Path.of("/proc/" + p)))) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (long p : pids) {
      if (Files.exists(Path.of("/proc/" + p))) {
        Shell.run(List.of("kill", "-KILL", String.valueOf(p)), Map.of(), null, Duration.ofSeconds(10));
      }
    }
  }
}
