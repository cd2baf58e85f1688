package com.eucalyptus.cc.network.dhcp;

import com.eucalyptus.cc.network.model.Ipv4Block;
import java.util.List;

/**
 * The text of euca-dhcp.conf, as 1.5.2 wrote it (net/vnetwork.c vnetGenerateDHCP): fixed
 * MAC→IP host entries only, no dynamic pool, so dhcpd answers nobody but the cloud's guests. It is
 * not {@code authoritative} either, as 1.5.2's was not: in STATIC mode the CC shares the LAN
 * with the site's own DHCP server, whose clients it must not NAK.
 */
public final class DhcpdConfig {
  private DhcpdConfig() {
  }

  /**
   * A subnet dhcpd serves: the interface it listens on must hold an address in it. {@code mtu} is
   * handed to the guests as {@code option interface-mtu} (MANAGED over vxlan: the underlay's MTU
   * less VXLAN's 50 bytes); 0 for none.
   */
  public record Subnet(Ipv4Block block, String router, String broadcast, List<String> dns, int mtu) {
    public Subnet {
      dns = List.copyOf(dns);
    }

    public Subnet(Ipv4Block block, String router, String broadcast, List<String> dns) {
      this(block, router, broadcast, dns, 0);
    }
  }

  /** One guest: its MAC and the address it always gets. */
  public record Host(String mac, String ip) {
  }

  /** The whole file, every subnet on one segment (1.5.2's {@code shared-network euca}); null for nothing to serve. */
  public static String render(List<Subnet> subnets, List<Host> hosts) {
    return render(subnets, hosts, true);
  }

  /**
   * The whole file; no subnets or no hosts means there is nothing to serve: null.
   *
   * @param oneSegment whether every subnet is on the one interface dhcpd serves (STATIC,
   *     MANAGED-NOVLAN: one {@code shared-network euca}, as 1.5.2); false when each subnet has an
   *     interface of its own (MANAGED's bridges): a shared network spanning several interfaces
   *     makes dhcpd 4.4 complain ("Multiple interfaces match the same shared network") and treat
   *     them as one segment, answering a guest on one bridge with an address of another's subnet
   */
  public static String render(List<Subnet> subnets, List<Host> hosts, boolean oneSegment) {
    if (subnets.isEmpty() || hosts.isEmpty()) {
      return null;
    }
    String indent = oneSegment ? "  " : "";
    StringBuilder sb = new StringBuilder();
    sb.append("# written by the Eucalyptus CC, rewritten as instances come and go: do not edit\n");
    sb.append("default-lease-time 1200;\n");
    sb.append("max-lease-time 1200;\n");
    sb.append("ddns-update-style none;\n\n");
    if (oneSegment) {
      sb.append("shared-network euca {\n");
    }
    for (Subnet s : subnets) {
      sb.append(indent).append("subnet ").append(Ipv4Block.format(s.block().network())).append(" netmask ")
          .append(s.block().netmaskText()).append(" {\n");
      sb.append(indent).append("  option subnet-mask ").append(s.block().netmaskText()).append(";\n");
      sb.append(indent).append("  option broadcast-address ").append(s.broadcast()).append(";\n");
      if (!s.dns().isEmpty()) {
        sb.append(indent).append("  option domain-name-servers ").append(String.join(", ", s.dns())).append(";\n");
      }
      if (s.router() != null) {
        sb.append(indent).append("  option routers ").append(s.router()).append(";\n");
      }
      if (s.mtu() > 0) {
        sb.append(indent).append("  option interface-mtu ").append(s.mtu()).append(";\n");
      }
      sb.append(indent).append("}\n");
    }
    for (Host h : hosts) {
      sb.append(indent).append("host node-").append(h.ip()).append(" {\n");
      sb.append(indent).append("  hardware ethernet ").append(h.mac()).append(";\n");
      sb.append(indent).append("  fixed-address ").append(h.ip()).append(";\n");
      sb.append(indent).append("}\n");
    }
    if (oneSegment) {
      sb.append("}\n");
    }
    return sb.toString();
  }
}
