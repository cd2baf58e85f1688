package com.eucalyptus.cc.network.host;

import com.eucalyptus.cc.network.model.Ipv4Block;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What to add to and remove from one interface's IPv4 addresses ("a.b.c.d/n", as {@code ip addr}
 * takes them) so that it holds the wanted ones; only addresses {@code ours} says the CC manages
 * are ever removed, so the host's own addresses stay whatever they are.
 */
public record AddressReconciler(List<String> add, List<String> remove) {
  /**
   * @param present the interface's addresses now ({@link #parse} of {@code ip -o -4 addr show})
   * @param wanted the addresses the plan wants there
   * @param ours which present addresses are the CC's to remove when not wanted
   */
  public static AddressReconciler of(Set<String> present, Set<String> wanted, Predicate<String> ours) {
    List<String> add = new ArrayList<>();
    for (String w : wanted) {
      if (!present.contains(w)) {
        add.add(w);
      }
    }
    List<String> remove = new ArrayList<>();
    for (String p : present) {
      if (!wanted.contains(p) && ours.test(p)) {
        remove.add(p);
      }
    }
    return new AddressReconciler(add, remove);
  }

  /** The "inet a.b.c.d/n" of {@code ip -o -4 addr show dev X} output, in order. */
  public static Set<String> parse(String ipAddrShow) {
    Set<String> found = new LinkedHashSet<>();
    for (String line : ipAddrShow.split("\n")) {
      String[] w = line.strip().split("\\s+");
      for (int k = 0; k + 1 < w.length; k++) {
        if (w[k].equals("inet")) {
          String a = w[k + 1];
          found.add(a.contains("/") ? a : a + "/32");
        }
      }
    }
    return found;
  }

  /** The address part of "a.b.c.d/n". */
  static String address(String cidr) {
    int slash = cidr.indexOf('/');
    return slash < 0 ? cidr : cidr.substring(0, slash);
  }

  /** The prefix of "a.b.c.d/n". */
  static int prefix(String cidr) {
    int slash = cidr.indexOf('/');
    return slash < 0 ? 32 : Integer.parseInt(cidr.substring(slash + 1));
  }

  /** True when "a.b.c.d/n"'s address is inside {@code block}. */
  static boolean inside(String cidr, Ipv4Block block) {
    try {
      return block.contains(address(cidr));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
