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

  /** A subnet dhcpd serves: the interface it listens on must hold an address in it. */
  public record Subnet(Ipv4Block block, String router, String broadcast, List<String> dns) {
    public Subnet {
      dns = List.copyOf(dns);
    }
  }

  /** One guest: its MAC and the address it always gets. */
  public record Host(String mac, String ip) {
  }

  /** The whole file; no subnets or no hosts means there is nothing to serve: null. */
  public static String render(List<Subnet> subnets, List<Host> hosts) {
    if (subnets.isEmpty() || hosts.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    sb.append("# written by the Eucalyptus CC, rewritten as instances come and go: do not edit\n");
    sb.append("default-lease-time 1200;\n");
    sb.append("max-lease-time 1200;\n");
    sb.append("ddns-update-style none;\n\n");
    sb.append("shared-network euca {\n");
    for (Subnet s : subnets) {
      sb.append("  subnet ").append(Ipv4Block.format(s.block().network())).append(" netmask ")
          .append(s.block().netmaskText()).append(" {\n");
      sb.append("    option subnet-mask ").append(s.block().netmaskText()).append(";\n");
      sb.append("    option broadcast-address ").append(s.broadcast()).append(";\n");
      if (!s.dns().isEmpty()) {
        sb.append("    option domain-name-servers ").append(String.join(", ", s.dns())).append(";\n");
      }
      if (s.router() != null) {
        sb.append("    option routers ").append(s.router()).append(";\n");
      }
      sb.append("  }\n");
    }
    for (Host h : hosts) {
      sb.append("  host node-").append(h.ip()).append(" {\n");
      sb.append("    hardware ethernet ").append(h.mac()).append(";\n");
      sb.append("    fixed-address ").append(h.ip()).append(";\n");
      sb.append("  }\n");
    }
    sb.append("}\n");
    return sb.toString();
  }
}
