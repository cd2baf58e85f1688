package com.eucalyptus.clc.compute.network;

import com.eucalyptus.clc.cluster.ClusterClient.NetRule;
import com.eucalyptus.clc.compute.groups.IngressRule;
import java.util.ArrayList;
import java.util.List;

/**
 * A security group's rule set as ConfigureNetwork carries it (docs/network.md): first a
 * firewall-close of the group, which clears what the CC had, then one firewall-open per ingress
 * rule. Sending the whole set each time makes the call idempotent: the CC ends up with exactly
 * the stored rules whatever it had before.
 */
public final class FirewallRules {
  public static final String CLOSE = "firewall-close";
  public static final String OPEN = "firewall-open";

  private FirewallRules() {
  }

  public static List<NetRule> of(String group, List<IngressRule> rules) {
    List<NetRule> out = new ArrayList<>();
    out.add(new NetRule(CLOSE, group, null, 0, 0, List.of(), List.of(), List.of()));
    for (IngressRule r : rules) {
      boolean fromGroup = r.sourceGroup() != null;
      out.add(new NetRule(OPEN, group, r.protocol(), r.fromPort(), r.toPort(),
          fromGroup ? List.of() : List.of(r.cidr()),
          fromGroup ? List.of(r.sourceOwner()) : List.of(),
          fromGroup ? List.of(r.sourceGroup()) : List.of()));
    }
    return out;
  }
}
