package com.eucalyptus.runtime.network.transport;

import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.runtime.network.transport.IpLinks.Link;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our MANAGED transport for networks that do not carry 802.1q tags and kernels without 8021q:
 * network {@code vlan} is the VXLAN {@code eucavx<vlan>} (VNI = vlan, unicast, UDP 4789, sent
 * from VNET_LOCALIP) on the bridge {@code eucabr<vlan>}. A full mesh: every host carrying the
 * network has one all-zero forwarding entry per other host ({@code bridge fdb append
 * 00:00:00:00:00:00 dev eucavx<vlan> dst <peer>}), so broadcasts (ARP, DHCP) reach every host and
 * two guests on two nodes reach each other directly; the VXLAN device learns which host has which
 * guest from the traffic, so unicast goes only there. A hub at the CC could not do this: a bridge
 * never sends a frame back out of the port it came in by. VXLAN takes 50 bytes, so the VXLAN
 * interface, and the guests, get the underlay's MTU less 50.
 */
public final class VxlanTransport extends BridgedTransport {
  /** IANA's VXLAN port. */
  public static final int PORT = 4789;
  /** Outer IPv4 (20) + UDP (8) + VXLAN (8) + inner Ethernet (14). */
  public static final int OVERHEAD = 50;
  /** VXLAN network identifiers are 24 bits. */
  static final int MAX_VNI = 0xffffff;
  static final String ZERO_MAC = "00:00:00:00:00:00";
  private static final Pattern VXLAN = Pattern.compile("\\\\\\s+vxlan id (\\d+)(.*?)(\\\\|$)");
  private static final Pattern FDB_DST = Pattern.compile("^" + ZERO_MAC + " dst (\\S+)");

  /**
   * @param underlayKey the key that named the underlay (VNET_INTERFACE on a node, VNET_PRIVINTERFACE on the CC)
   * @param underlay the interface towards the other hosts (its MTU bounds the guests')
   * @param localAddress VNET_LOCALIP: the VXLAN packets' source, the address the other hosts have for this one
   */
  public VxlanTransport(CommandRunner runner, String underlayKey, String underlay, String localAddress) {
    super(runner, underlayKey, underlay, localAddress);
  }

  @Override
  public String name() {
    return "vxlan";
  }

  /** The underlay must exist, and VNET_LOCALIP must be an address of this host (VXLAN sends from it). */
  @Override
  public String problem() {
    if (underlayMtu() <= 0) {
      return "VNET_TRANSPORT=\"vxlan\": " + underlayKey + "=\"" + underlay + "\" is not a network interface of this "
          + "host (ip link show lists them)";
    }
    if (!IpLinks.isLocal(runner, localAddress)) {
      return "VNET_TRANSPORT=\"vxlan\": VNET_LOCALIP=\"" + localAddress + "\" is not an address of this host "
          + "(ip -4 addr show lists them); set it to this host's address on the network to the other hosts";
    }
    return null;
  }

  /** The VXLAN interface of network {@code vlan}. */
  @Override
  public String linkName(int vlan) {
    return "eucavx" + vlan;
  }

  @Override
  public String ensure(int vlan, List<String> peers) throws TransportException {
    check(vlan);
    Set<String> wanted = new LinkedHashSet<>();
    for (String p : peers) {
      String peer = p == null ? "" : p.strip();
      if (!NetworkTransports.isIpv4(peer)) {
        throw new TransportException("peer \"" + p + "\" of network " + vlan + " is not an IPv4 address");
      }
      if (!peer.equals(localAddress)) {
        wanted.add(peer);
      }
    }
    String bridge = bridgeName(vlan);
    String vx = linkName(vlan);
    int mtu = guestMtu();
    Map<String, Link> links = IpLinks.read(runner);
    ensureBridge(links, vlan);
    Link l = links.get(vx);
    if (l != null && !matches(l, vlan)) {
      log.warn("network {}: {} is not VNI {} from {} port {} ({}): made again", vlan, vx, vlan, localAddress, PORT,
          l.details());
      IpLinks.run(runner, List.of("ip", "link", "del", vx));
      l = null;
    }
    if (l == null) {
      IpLinks.run(runner, List.of("ip", "link", "add", vx, "mtu", String.valueOf(mtu), "type", "vxlan", "id",
          String.valueOf(vlan), "local", localAddress, "dstport", String.valueOf(PORT)));
    } else if (l.mtu() != mtu) {
      IpLinks.run(runner, List.of("ip", "link", "set", vx, "mtu", String.valueOf(mtu)));
    }
    attach(l, vx, bridge);
    Set<String> present = peersOf(vx);
    for (String p : wanted) {
      if (!present.contains(p)) {
        IpLinks.run(runner, List.of("bridge", "fdb", "append", ZERO_MAC, "dev", vx, "dst", p));
      }
    }
    for (String p : present) {
      if (!wanted.contains(p)) {
        IpLinks.run(runner, List.of("bridge", "fdb", "del", ZERO_MAC, "dev", vx, "dst", p));
      }
    }
    if (l == null || !present.equals(wanted)) {
      log.info("network {}: {} (VNI {}, from {}, MTU {}) on {}, peers {}", vlan, vx, vlan, localAddress, mtu, bridge,
          wanted);
    }
    return bridge;
  }

  /** Whether the existing VXLAN interface is the one ensure would make (VNI, local address, port). */
  private boolean matches(Link l, int vlan) {
    Matcher m = VXLAN.matcher(l.details());
    if (!m.find() || Integer.parseInt(m.group(1)) != vlan) {
      return false;
    }
    String rest = " " + m.group(2) + " ";
    return rest.contains(" local " + localAddress + " ") && rest.contains(" dstport " + PORT + " ");
  }

  /** The peers {@code vx} floods to now: the destinations of its all-zero entries. */
  private Set<String> peersOf(String vx) throws TransportException {
    Set<String> out = new LinkedHashSet<>();
    CommandResult r = IpLinks.run(runner, List.of("bridge", "fdb", "show", "dev", vx));
    for (String line : r.stdout().split("\n")) {
      Matcher m = FDB_DST.matcher(line.strip());
      if (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  @Override
  void check(int vlan) throws TransportException {
    if (vlan < 1 || vlan > MAX_VNI) {
      throw new TransportException("network index " + vlan + " is not a VXLAN network identifier (1 to " + MAX_VNI + ")");
    }
  }

  /**
   * The underlay's MTU less VXLAN's 50 bytes (1450 on a 1500 underlay); 1450 with a WARN when the
   * underlay cannot be read (problem() stops the daemon at start in that case).
   */
  @Override
  public int guestMtu() {
    int mtu = underlayMtu();
    if (mtu <= 0) {
      log.warn("cannot read the MTU of {} ({}): guests get 1450", underlay, underlayKey);
      return 1500 - OVERHEAD;
    }
    return mtu - OVERHEAD;
  }

  /** The underlay's MTU, or 0 when it does not exist. */
  private int underlayMtu() {
    CommandResult r = runner.run(List.of("ip", "-o", "link", "show", "dev", underlay));
    if (!r.succeeded()) {
      return 0;
    }
    Link l = IpLinks.parse(r.stdout()).get(underlay);
    return l == null ? 0 : l.mtu();
  }

  @Override
  public int port() {
    return PORT;
  }
}
