package com.eucalyptus.cc.network.host;

import com.eucalyptus.cc.network.model.ActiveNetwork;
import com.eucalyptus.cc.network.model.GroupRef;
import com.eucalyptus.cc.network.model.HostNetworkPlan;
import com.eucalyptus.cc.network.model.IngressRule;
import com.eucalyptus.cc.network.model.Ipv4Block;
import com.eucalyptus.cc.network.model.PublicAssignment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Turns a plan into the input of {@code iptables-restore --noflush}: the CC's chains declared (an
 * iptables-restore chain line empties a chain that exists, so each apply rebuilds them from
 * nothing in one transaction), the group chains that are no longer wanted emptied and deleted, and
 * every rule. Nothing else of the host's tables is named, so --noflush leaves it alone. The same
 * plan always renders the same text (networks by index, addresses by value).
 */
public final class RuleRenderer {
  private static final Logger LOG = LogManager.getLogger(RuleRenderer.class);
  static final String METADATA = "169.254.169.254/32";

  private RuleRenderer() {
  }

  /**
   * The restore input for {@code plan}; {@code existingGroupChains} are the group chains the host
   * has now (those EUCA-FORWARD and EUCA-LOCAL jump to): the ones the plan no longer has are deleted.
   */
  public static String render(HostNetworkPlan plan, Collection<String> existingGroupChains) {
    Map<GroupRef, ActiveNetwork> active = activeNetworks(plan);
    Map<String, ActiveNetwork> chains = new LinkedHashMap<>();
    for (ActiveNetwork n : active.values()) {
      chains.put(ChainNames.forGroup(n.group()), n);
    }
    Set<String> stale = new TreeSet<>(existingGroupChains);
    stale.removeAll(chains.keySet());
    stale.removeIf(c -> c.startsWith(ChainNames.RESERVED_PREFIX)); // never a fixed chain

    StringBuilder out = new StringBuilder();
    out.append("*filter\n");
    out.append(':').append(ChainNames.FORWARD).append(" - [0:0]\n");
    out.append(':').append(ChainNames.LOCAL).append(" - [0:0]\n");
    chains.keySet().forEach(c -> out.append(':').append(c).append(" - [0:0]\n"));
    stale.forEach(c -> out.append(':').append(c).append(" - [0:0]\n"));
    stale.forEach(c -> out.append("-X ").append(c).append('\n'));
    forwardRules(plan, chains).forEach(r -> out.append(r).append('\n'));
    localRules(plan, chains).forEach(r -> out.append(r).append('\n'));
    chains.forEach((chain, n) -> groupRules(chain, plan.rules().getOrDefault(n.group(), List.of()), active)
        .forEach(r -> out.append(r).append('\n')));
    out.append("COMMIT\n");
    out.append("*nat\n");
    for (String c : List.of(ChainNames.PREROUTING, ChainNames.OUTPUT, ChainNames.POSTROUTING)) {
      out.append(':').append(c).append(" - [0:0]\n");
    }
    natRules(plan).forEach(r -> out.append(r).append('\n'));
    out.append("COMMIT\n");
    return out.toString();
  }

  /** The plan's active networks by group, in network-index order (a group listed twice: the first). */
  static Map<GroupRef, ActiveNetwork> activeNetworks(HostNetworkPlan plan) {
    Map<GroupRef, ActiveNetwork> active = new LinkedHashMap<>();
    plan.networks().stream().sorted(Comparator.comparingInt(ActiveNetwork::vlan))
        .forEach(n -> active.putIfAbsent(n.group(), n));
    return active;
  }

  static List<String> forwardRules(HostNetworkPlan plan, Map<String, ActiveNetwork> chains) {
    String f = "-A " + ChainNames.FORWARD;
    List<String> rules = new ArrayList<>();
    // replies and ICMP errors of connections already let through: this is what keeps an open ssh
    // session alive across a rebuild and after a rule is revoked
    rules.add(f + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
    chains.forEach((chain, n) -> {
      // within one group's block traffic is free, as on 1.5.2's per-group network; it only
      // reaches FORWARD on a bridge the CC also forwards for when br_netfilter is loaded
      rules.add(f + " -s " + n.block() + " -d " + n.block() + " -j ACCEPT");
      rules.add(f + " -d " + n.block() + " -j " + chain);
    });
    rules.add(f + " -d " + plan.subnet() + " -j DROP");
    rules.add(f + " -s " + plan.subnet() + " -j ACCEPT");
    return rules;
  }

  /**
   * EUCA-LOCAL, hooked from filter OUTPUT: the front end's own new connections to the guests (ssh
   * from the CC host, to a private address or through nat OUTPUT's DNAT of a public one) meet the
   * same group chains as forwarded ones. Only packets for the subnet are decided here; the rest
   * of the host's output leaves the chain undecided.
   */
  static List<String> localRules(HostNetworkPlan plan, Map<String, ActiveNetwork> chains) {
    String l = "-A " + ChainNames.LOCAL + " -d " + plan.subnet();
    List<String> rules = new ArrayList<>();
    // to the front end's own addresses in the subnet (the routers): not to a guest, not ours to
    // decide. addrtype reads the destination as it is now, after nat OUTPUT's DNAT; "-o lo" would
    // not do: OUTPUT's out interface is the one routed to before the DNAT, lo for a public address
    rules.add(l + " -m addrtype --dst-type LOCAL -j RETURN");
    // replies to the guests (metadata, DNS, the host's services), ICMP errors, and connections
    // already let through: they survive a rebuild, a revoke and a CC restart as in EUCA-FORWARD
    rules.add(l + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
    // ISC dhcpd answers a renewing guest by unicast from its UDP socket (other answers leave by a
    // packet socket, past iptables)
    rules.add(l + " -p udp -m udp --sport 67 --dport 68 -j ACCEPT");
    chains.forEach((chain, n) -> rules.add("-A " + ChainNames.LOCAL + " -d " + n.block() + " -j " + chain));
    rules.add(l + " -j DROP");
    return rules;
  }

  /** One ACCEPT per (rule, source): the CIDRs, then the blocks of the source groups that are active. */
  static List<String> groupRules(String chain, List<IngressRule> ingress, Map<GroupRef, ActiveNetwork> active) {
    List<String> rules = new ArrayList<>();
    for (IngressRule r : ingress) {
      String match = match(r);
      if (match == null) {
        continue;
      }
      Set<String> sources = new LinkedHashSet<>();
      for (String cidr : r.cidrs()) {
        try {
          sources.add(Ipv4Block.parse(cidr.strip()).toString());
        } catch (IllegalArgumentException e) {
          LOG.warn("chain {}: source {} is not an IPv4 block (a.b.c.d/n); that source is left out", chain, cidr);
        }
      }
      for (GroupRef g : r.sources()) {
        ActiveNetwork n = active.get(g);
        if (n != null) { // a source group with no active network has no addresses to allow
          sources.add(n.block().toString());
        }
      }
      for (String s : sources) {
        rules.add("-A " + chain + (s.equals("0.0.0.0/0") ? "" : " -s " + s) + match + " -j ACCEPT");
      }
    }
    return rules;
  }

  /** " -p tcp --dport 22" and the like, or null (logged) for a rule iptables could not take. */
  static String match(IngressRule r) {
    String p = r.protocol() == null ? "" : r.protocol().strip().toLowerCase(java.util.Locale.ROOT);
    switch (p) {
      case "tcp", "udp" -> {
        if (r.fromPort() < 0 && r.toPort() < 0) {
          return " -p " + p;
        }
        int from = Math.max(r.fromPort(), 0);
        int to = r.toPort() < 0 ? 65535 : r.toPort();
        if (from > 65535 || to > 65535 || from > to) {
          LOG.warn("{} port range {}-{} is not within 0-65535; the rule is left out", p, r.fromPort(), r.toPort());
          return null;
        }
        return " -p " + p + " -m " + p + " --dport " + (from == to ? String.valueOf(from) : from + ":" + to);
      }
      case "icmp" -> {
        if (r.fromPort() < 0) {
          return " -p icmp";
        }
        if (r.fromPort() > 255 || r.toPort() > 255) {
          LOG.warn("icmp type/code {}/{} is not within 0-255; the rule is left out", r.fromPort(), r.toPort());
          return null;
        }
        return " -p icmp -m icmp --icmp-type " + r.fromPort() + (r.toPort() < 0 ? "" : "/" + r.toPort());
      }
      default -> {
        LOG.warn("protocol \"{}\" is not tcp, udp or icmp; the rule is left out", r.protocol());
        return null;
      }
    }
  }

  static List<String> natRules(HostNetworkPlan plan) {
    List<PublicAssignment> assigned = assignments(plan);
    MetadataTarget metadata = MetadataTarget.parse(plan.metadataTarget());
    String subnet = plan.subnet().toString();
    List<String> rules = new ArrayList<>();
    String pre = "-A " + ChainNames.PREROUTING;
    for (PublicAssignment a : assigned) {
      rules.add(pre + " -d " + a.publicIp() + "/32 -j DNAT --to-destination " + a.privateIp());
    }
    if (metadata != null) {
      rules.add(pre + " -s " + subnet + " -d " + METADATA + " -p tcp -m tcp --dport 80 -j DNAT --to-destination "
          + metadata);
    }
    // the front end's own connections to a public address (ssh from the CC host)
    for (PublicAssignment a : assigned) {
      rules.add("-A " + ChainNames.OUTPUT + " -d " + a.publicIp() + "/32 -j DNAT --to-destination " + a.privateIp());
    }
    String post = "-A " + ChainNames.POSTROUTING;
    // between groups the guests see each other's private addresses
    rules.add(post + " -s " + subnet + " -d " + subnet + " -j RETURN");
    if (metadata != null) {
      // the CLC tells guests apart by their source address: it must see the private one
      rules.add(post + " -s " + subnet + " -d " + metadata.host() + "/32 -j RETURN");
    }
    for (PublicAssignment a : assigned) {
      rules.add(post + " -s " + a.privateIp() + "/32 -j SNAT --to-source " + a.publicIp());
    }
    rules.add(post + " -s " + subnet + " -j MASQUERADE");
    return rules;
  }

  /** The assigned public addresses, by public address; malformed ones are rejected at once. */
  static List<PublicAssignment> assignments(HostNetworkPlan plan) {
    List<PublicAssignment> assigned = new ArrayList<>();
    for (PublicAssignment a : plan.publicAddresses()) {
      if (a.assigned()) {
        Ipv4Block.parseAddress(a.publicIp());
        Ipv4Block.parseAddress(a.privateIp());
        assigned.add(new PublicAssignment(a.publicIp().strip(), a.privateIp().strip()));
      }
    }
    assigned.sort(Comparator.comparingLong(a -> Integer.toUnsignedLong(Ipv4Block.parseAddress(a.publicIp()))));
    return assigned;
  }

  /** The metadata service's address: {@code a.b.c.d:port}. */
  record MetadataTarget(String host, int port) {
    static MetadataTarget parse(String target) {
      if (target == null || target.isBlank()) {
        return null;
      }
      int colon = target.lastIndexOf(':');
      try {
        String host = target.substring(0, colon).strip();
        Ipv4Block.parseAddress(host);
        int port = Integer.parseInt(target.substring(colon + 1).strip());
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException();
        }
        return new MetadataTarget(host, port);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("metadata target \"" + target + "\" is not a.b.c.d:port", e);
      }
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }
}
