package com.eucalyptus.clc.compute.groups;

import java.util.regex.Pattern;

/**
 * One ingress permission as the API speaks of it. Exactly one of {@code cidr} and
 * {@code sourceGroup} is set. Ports are -1..-1 for icmp "all types", as EC2 shows them.
 */
public record IngressRule(String protocol, int fromPort, int toPort, String cidr, String sourceOwner,
    String sourceGroup) {
  private static final Pattern CIDR = Pattern.compile(
      "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)/(3[0-2]|[12]?\\d)");

  /**
   * Checks what a user asked for, with EC2's rules: tcp/udp ports 0-65535 with from &lt;= to;
   * icmp type and code -1..255.
   *
   * @throws IllegalArgumentException with a message for the user
   */
  public IngressRule {
    protocol = protocol == null ? "" : protocol.toLowerCase();
    switch (protocol) {
      case "tcp", "udp" -> {
        if (fromPort < 0 || toPort > 65535 || fromPort > toPort) {
          throw new IllegalArgumentException("invalid port range " + fromPort + "-" + toPort + " for " + protocol);
        }
      }
      case "icmp" -> {
        if (fromPort < -1 || fromPort > 255 || toPort < -1 || toPort > 255) {
          throw new IllegalArgumentException("invalid ICMP type/code " + fromPort + "/" + toPort);
        }
      }
      default -> throw new IllegalArgumentException("protocol must be tcp, udp or icmp, not '" + protocol + "'");
    }
    if ((cidr == null) == (sourceGroup == null)) {
      throw new IllegalArgumentException("give either a CIDR range or a source group");
    }
    if (cidr != null && !CIDR.matcher(cidr).matches()) {
      throw new IllegalArgumentException("'" + cidr + "' is not a CIDR block like 10.0.0.0/8");
    }
  }

  boolean sameAs(IngressRule o) {
    return protocol.equals(o.protocol) && fromPort == o.fromPort && toPort == o.toPort && eq(cidr, o.cidr)
        && eq(sourceOwner, o.sourceOwner) && eq(sourceGroup, o.sourceGroup);
  }

  private static boolean eq(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }
}
