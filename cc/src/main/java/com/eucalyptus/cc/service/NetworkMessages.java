package com.eucalyptus.cc.service;

import com.eucalyptus.cc.network.NetworkRefusal;
import com.eucalyptus.cc.network.model.GroupRef;
import com.eucalyptus.cc.network.model.IngressRule;
import com.eucalyptus.cc.network.model.Ipv4Block;
import com.eucalyptus.wsdl.cc.types.NetworkRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** ConfigureNetwork's networkRule list, as the groups' rule sets the network modes take. */
final class NetworkMessages {
  private NetworkMessages() {
  }

  /**
   * The rule sets in {@code rules}, per destination group (destName), in order: a
   * {@code firewall-close} empties the group's set, each {@code firewall-open} adds to it (the CLC
   * sends the close first, then the whole set). A rule without protocol (a source group granted
   * everything, as EC2 2008's group-to-group grants were) becomes tcp, udp and icmp, all ports. A
   * source group without a user name is the request's user's. Malformed rules are refused with
   * InvalidParameterValue.
   */
  static Map<String, List<IngressRule>> ruleSets(String user, NetworkRule[] rules) throws NetworkRefusal {
    Map<String, List<IngressRule>> out = new LinkedHashMap<>();
    for (NetworkRule r : rules == null ? new NetworkRule[0] : rules) {
      if (r == null) {
        continue;
      }
      String dest = r.getDestName();
      if (dest == null || dest.isBlank()) {
        throw invalid("a rule has no destName (the group it is for)");
      }
      String type = r.getType() == null ? "" : r.getType().strip().toLowerCase(Locale.ROOT);
      switch (type) {
        case "firewall-close" -> out.put(dest, new ArrayList<>());
        case "firewall-open" -> out.computeIfAbsent(dest, d -> new ArrayList<>()).addAll(open(user, r));
        default -> throw invalid("rule type \"" + r.getType() + "\" is not firewall-open or firewall-close");
      }
    }
    return out;
  }

  private static List<IngressRule> open(String user, NetworkRule r) throws NetworkRefusal {
    List<String> cidrs = new ArrayList<>();
    for (String net : r.getSourceNets() == null ? new String[0] : r.getSourceNets()) {
      if (net == null || net.isBlank()) {
        continue;
      }
      try {
        cidrs.add(Ipv4Block.parse(net.strip()).toString());
      } catch (IllegalArgumentException e) {
        throw invalid("source \"" + net + "\" is not an address block (a.b.c.d/n)");
      }
    }
    List<GroupRef> sources = new ArrayList<>();
    String[] names = r.getSourceNames() == null ? new String[0] : r.getSourceNames();
    String[] users = r.getUserNames() == null ? new String[0] : r.getUserNames();
    for (int k = 0; k < names.length; k++) {
      if (names[k] == null || names[k].isBlank()) {
        continue;
      }
      String owner = k < users.length && users[k] != null && !users[k].isBlank() ? users[k] : user;
      sources.add(new GroupRef(owner, names[k]));
    }
    if (cidrs.isEmpty() && sources.isEmpty()) {
      throw invalid("a firewall-open rule for " + r.getDestName() + " names no source (sourceNets or sourceNames)");
    }
    String protocol = r.getProtocol() == null ? "" : r.getProtocol().strip().toLowerCase(Locale.ROOT);
    int from = r.isPortRangeMinSpecified() ? r.getPortRangeMin() : -1;
    int to = r.isPortRangeMaxSpecified() ? r.getPortRangeMax() : -1;
    switch (protocol) {
      case "" -> {
        return List.of(new IngressRule("tcp", 0, 65535, cidrs, sources), new IngressRule("udp", 0, 65535, cidrs, sources),
            new IngressRule("icmp", -1, -1, cidrs, sources));
      }
      case "tcp", "udp" -> {
        if (from == -1 && to == -1) {
          from = 0;
          to = 65535;
        }
        if (from < 0 || to > 65535 || from > to) {
          throw invalid(protocol + " port range " + from + "-" + to + " is not within 0-65535");
        }
        return List.of(new IngressRule(protocol, from, to, cidrs, sources));
      }
      case "icmp" -> {
        if (from < -1 || from > 255 || to < -1 || to > 255) {
          throw invalid("icmp type " + from + " and code " + to + " are not -1 (any) or 0-255");
        }
        return List.of(new IngressRule(protocol, from, to, cidrs, sources));
      }
      default -> throw invalid("protocol \"" + r.getProtocol() + "\" is not tcp, udp or icmp");
    }
  }

  private static NetworkRefusal invalid(String message) {
    return new NetworkRefusal("InvalidParameterValue", message);
  }
}
