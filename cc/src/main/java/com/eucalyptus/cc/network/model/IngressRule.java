package com.eucalyptus.cc.network.model;

import java.util.List;

/**
 * One ingress rule of a group, as ConfigureNetwork gives it ("firewall-open"). protocol is tcp,
 * udp or icmp. For tcp and udp, fromPort..toPort is the port range; for icmp, fromPort is the
 * type and toPort the code, -1 meaning any (EC2's convention). Traffic matches when it comes from
 * one of {@code cidrs} or from the network of one of {@code sources} (while that group's network is
 * active).
 */
public record IngressRule(String protocol, int fromPort, int toPort, List<String> cidrs, List<GroupRef> sources) {
  public IngressRule {
    cidrs = List.copyOf(cidrs);
    sources = List.copyOf(sources);
  }
}
