package com.eucalyptus.itests.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The root namespace's firewall as {@code iptables-save} prints it (every loaded table, and the
 * nat table on its own), and the same for IPv6, without the counters and the comment lines that
 * change by themselves. A test takes one before it starts anything and asserts at the end that
 * the host's firewall is exactly the same: the CC runs in a namespace of its own and must never
 * touch the node's rules. Only reads: {@code iptables-save -t nat} does not create the table.
 */
public record RootFirewall(String all, String nat, String ipv6) {

  public static RootFirewall snapshot() {
    return new RootFirewall(save("iptables-save"), save("iptables-save", "-t", "nat"), save("ip6tables-save"));
  }

  private static String save(String... cmd) {
    Shell.Result r = Shell.run(List.of(cmd), Map.of(), null, Duration.ofSeconds(30));
    if (r.exitCode() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed: " + r.all());
    }
    return normalize(r.stdout());
  }

  /** Drops comment lines and the [packets:bytes] counters of chains and rules. */
  public static String normalize(String save) {
    return save.lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "[]").stripTrailing())
        .reduce("", (a, b) -> a + b + "\n");
  }

  /** Null when {@code after} is the same, else a description of what differs. */
  public String differences(RootFirewall after) {
    StringBuilder sb = new StringBuilder();
    diff("iptables-save", all, after.all, sb);
    diff("iptables-save -t nat", nat, after.nat, sb);
    diff("ip6tables-save", ipv6, after.ipv6, sb);
    return sb.length() == 0 ? null : sb.toString();
  }

  private static void diff(String what, String before, String after, StringBuilder sb) {
    if (before.equals(after)) {
      return;
    }
    List<String> b = before.lines().toList();
    List<String> a = after.lines().toList();
    sb.append(what).append(" changed: added ").append(a.stream().filter(l -> !b.contains(l)).toList())
        .append(", removed ").append(b.stream().filter(l -> !a.contains(l)).toList()).append("; ");
  }
}
