package com.eucalyptus.cc.network.host;

import com.eucalyptus.cc.network.NetworkRefusal;
import com.eucalyptus.cc.network.model.HostNetworkPlan;
import com.eucalyptus.cc.network.model.PublicAssignment;
import com.eucalyptus.runtime.exec.CommandFailedException;
import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@link HostNetwork} on Linux with the real tools: iptables-restore --noflush rebuilds the CC's
 * own chains in one transaction, iptables -C/-I hooks them from the built-in chains once, ip addr
 * adds and removes the router and public addresses, sysctl turns on forwarding. Every command goes
 * through the {@link CommandRunner} (which logs it); docs/network.md lists what this
 * changes on the host. Built-in chains' policies and everybody else's rules and addresses are
 * never touched.
 */
public class LinuxHostNetwork implements HostNetwork {
  private static final Logger LOG = LogManager.getLogger(LinuxHostNetwork.class);
  private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(1);
  /** The built-in chain each of the CC's chains is jumped to from, by table. */
  static final List<String[]> HOOKS = List.of(
      new String[] {"filter", "FORWARD", ChainNames.FORWARD},
      new String[] {"filter", "OUTPUT", ChainNames.LOCAL},
      new String[] {"nat", "PREROUTING", ChainNames.PREROUTING},
      new String[] {"nat", "OUTPUT", ChainNames.OUTPUT},
      new String[] {"nat", "POSTROUTING", ChainNames.POSTROUTING});
  private static final Pattern RESTORE_LINE = Pattern.compile("line:? (\\d+)");

  private final CommandRunner runner;
  /**
   * Public addresses this CC put on the public interface since it started. The plan should list
   * every address of VNET_PUBLICIPS (free ones with no private address), which is how a restarted
   * CC knows which /32s are its own; this also covers a plan that lists only the assigned ones,
   * so that an address taken away is not left on the interface leading to the front end itself.
   */
  private final Set<String> publicAdded = new TreeSet<>();

  public LinuxHostNetwork(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public synchronized void preload(Path file) throws NetworkRefusal {
    if (file == null || !Files.isRegularFile(file)) {
      LOG.info("no iptables-preload file at {}: nothing to preload", file);
      return;
    }
    SavedTables saved;
    try {
      saved = SavedTables.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      throw refused("cannot read the iptables-preload file " + file + ": " + e.getMessage(), e);
    }
    int added = 0;
    for (SavedTables.Table t : saved.tables().values()) {
      SavedTables.Table current = currentTable(t.name());
      Set<String> existing = current.chains().keySet();
      for (Map.Entry<String, String> chain : t.chains().entrySet()) {
        if (!chain.getValue().equals("-")) {
          if (!chain.getValue().equals(current.chains().get(chain.getKey()))) {
            LOG.info("iptables-preload: policy {} of {}/{} not applied (the CC never sets a policy)",
                chain.getValue(), t.name(), chain.getKey());
          }
        } else if (chain.getKey().startsWith(ChainNames.RESERVED_PREFIX)) {
          LOG.info("iptables-preload: chain {}/{} is the CC's own; left out", t.name(), chain.getKey());
        } else if (!existing.contains(chain.getKey())) {
          must(List.of("iptables", "-w", "-t", t.name(), "-N", chain.getKey()));
        }
      }
      for (SavedTables.Rule r : t.rules()) {
        String target = r.target();
        if (r.chain().startsWith(ChainNames.RESERVED_PREFIX)
            || (target != null && target.startsWith(ChainNames.RESERVED_PREFIX))) {
          LOG.info("iptables-preload: rule -A {} {} belongs to the CC's own chains; left out", r.chain(),
              String.join(" ", r.args()));
          continue;
        }
        // the file is iptables-save output, so a rule that is there reads the same; "iptables -C"
        // (which knows that "-s 10.0.0.1" is "-s 10.0.0.1/32") only for the others: a hand-edited
        // file must not add its rules again at every start either
        if (!current.rules().contains(r) && !present(t.name(), r.chain(), r.args())) {
          List<String> append = new ArrayList<>(List.of("iptables", "-w", "-t", t.name(), "-A", r.chain()));
          append.addAll(r.args());
          must(append);
          added++;
        }
      }
    }
    LOG.info("iptables-preload {}: {} rule(s) added, the others were there already", file, added);
  }

  @Override
  public synchronized void apply(HostNetworkPlan plan) throws NetworkRefusal {
    String restoreInput;
    Map<String, AddressReconciler> routerSides = new LinkedHashMap<>();
    AddressReconciler publicSide;
    SavedTables now = currentTables();
    List<String[]> missingHooks = missingHooks(now);
    try {
      check(plan);
      restoreInput = RuleRenderer.render(plan, groupChains(now.table("filter")));
      // the routers' interfaces: the private one (every router in MANAGED-NOVLAN; none in
      // MANAGED, which takes away those a MANAGED-NOVLAN CC left there) and each network's own
      for (String dev : routerInterfaces(plan)) {
        routerSides.put(dev, AddressReconciler.of(addresses(dev), routers(plan, dev),
            a -> AddressReconciler.inside(a, plan.subnet())));
      }
      Set<String> pool = new TreeSet<>(publicAdded);
      plan.publicAddresses().forEach(p -> pool.add(p.publicIp().strip()));
      publicSide = AddressReconciler.of(addresses(plan.publicInterface()), publics(plan),
          a -> AddressReconciler.prefix(a) == 32 && pool.contains(AddressReconciler.address(a)));
    } catch (IllegalArgumentException e) {
      throw refused("the network plan cannot be applied: " + e.getMessage(), e);
    }
    sysctls(plan.privateInterface());
    // an unwanted public address goes before its NAT rules, and a new one comes after them: a
    // public address without its DNAT would lead to the front end's own services (its sshd)
    for (String a : publicSide.remove()) {
      must(List.of("ip", "addr", "del", a, "dev", plan.publicInterface()));
      publicAdded.remove(AddressReconciler.address(a));
    }
    for (Map.Entry<String, AddressReconciler> side : routerSides.entrySet()) {
      for (String a : side.getValue().remove()) {
        must(List.of("ip", "addr", "del", a, "dev", side.getKey()));
      }
    }
    restore(restoreInput);
    // after the restore: a jump needs its chain
    for (String[] h : missingHooks) {
      must(List.of("iptables", "-w", "-t", h[0], "-I", h[1], "1", "-j", h[2]));
    }
    for (Map.Entry<String, AddressReconciler> side : routerSides.entrySet()) {
      for (String a : side.getValue().add()) {
        must(List.of("ip", "addr", "add", a, "brd", "+", "dev", side.getKey()));
      }
    }
    for (String a : publicSide.add()) {
      must(List.of("ip", "addr", "add", a, "dev", plan.publicInterface()));
      publicAdded.add(AddressReconciler.address(a));
    }
  }

  private static void check(HostNetworkPlan plan) {
    if (plan.subnet() == null) {
      throw new IllegalArgumentException("no subnet (VNET_SUBNET/VNET_NETMASK)");
    }
    if (plan.privateInterface() == null || plan.privateInterface().isBlank()) {
      throw new IllegalArgumentException("no private interface (VNET_PRIVINTERFACE)");
    }
    if (plan.publicInterface() == null || plan.publicInterface().isBlank()) {
      throw new IllegalArgumentException("no public interface (VNET_PUBINTERFACE)");
    }
  }

  /** Each active network's router, net+1 with the block's prefix. */
  static Set<String> routers(HostNetworkPlan plan) {
    Set<String> r = new LinkedHashSet<>();
    RuleRenderer.activeNetworks(plan).values().forEach(n -> r.add(n.router() + "/" + n.block().prefix()));
    return r;
  }

  /** The routers that go on {@code dev}. */
  static Set<String> routers(HostNetworkPlan plan, String dev) {
    Set<String> r = new LinkedHashSet<>();
    RuleRenderer.activeNetworks(plan).values().stream().filter(n -> plan.routerInterface(n.vlan()).equals(dev))
        .forEach(n -> r.add(n.router() + "/" + n.block().prefix()));
    return r;
  }

  /** The private interface, then each active network's router interface. */
  static Set<String> routerInterfaces(HostNetworkPlan plan) {
    Set<String> devs = new LinkedHashSet<>();
    devs.add(plan.privateInterface());
    RuleRenderer.activeNetworks(plan).values().forEach(n -> devs.add(plan.routerInterface(n.vlan())));
    return devs;
  }

  /** Each assigned public address, as /32. */
  static Set<String> publics(HostNetworkPlan plan) {
    Set<String> p = new LinkedHashSet<>();
    for (PublicAssignment a : RuleRenderer.assignments(plan)) {
      p.add(a.publicIp() + "/32");
    }
    return p;
  }

  /**
   * Forwarding on; no ICMP redirects: guests of different groups share one bridge and the CC routes
   * between their blocks back out of the interface they came in by, where the kernel would tell
   * the sender to go straight to the other guest (past the group's rules). The kernel sends a
   * redirect when "all" or the interface says so, hence both.
   */
  private void sysctls(String privateInterface) throws NetworkRefusal {
    must(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
    must(List.of("sysctl", "-q", "-w", "net.ipv4.conf.all.send_redirects=0"));
    // sysctl writes a '.' of an interface name (eth0.10) as '/'
    must(List.of("sysctl", "-q", "-w", "net.ipv4.conf." + privateInterface.replace('.', '/') + ".send_redirects=0"));
  }

  /**
   * The group chains the host has now: every chain EUCA-FORWARD or EUCA-LOCAL jumps to (the same
   * ones, as one restore writes both; either is enough for a chain to be found and deleted).
   */
  static Set<String> groupChains(SavedTables.Table filter) {
    Set<String> chains = new TreeSet<>();
    for (SavedTables.Rule r : filter.rules()) {
      boolean ours = r.chain().equals(ChainNames.FORWARD) || r.chain().equals(ChainNames.LOCAL);
      if (ours && r.target() != null && filter.chains().containsKey(r.target())) {
        chains.add(r.target());
      }
    }
    return chains;
  }

  /**
   * The jumps from the built-in chains to the CC's that are not there. Read from iptables-save's
   * own output (the CC's jump is exactly "-A FORWARD -j EUCA-FORWARD" there), which needs no
   * "iptables -C" per hook on every apply.
   */
  static List<String[]> missingHooks(SavedTables now) {
    List<String[]> missing = new ArrayList<>();
    for (String[] h : HOOKS) {
      if (!now.table(h[0]).rules().contains(new SavedTables.Rule(h[1], List.of("-j", h[2])))) {
        missing.add(h);
      }
    }
    return missing;
  }

  private SavedTables currentTables() throws NetworkRefusal {
    String out = must(List.of("iptables-save")).stdout();
    try {
      return SavedTables.parse(out);
    } catch (IllegalArgumentException e) {
      throw refused("cannot read iptables-save: " + e.getMessage(), e);
    }
  }

  private SavedTables.Table currentTable(String table) throws NetworkRefusal {
    String out = must(List.of("iptables-save", "-t", table)).stdout();
    try {
      return SavedTables.parse(out).table(table);
    } catch (IllegalArgumentException e) {
      throw refused("cannot read iptables-save -t " + table + ": " + e.getMessage(), e);
    }
  }

  private Set<String> addresses(String dev) throws NetworkRefusal {
    return AddressReconciler.parse(must(List.of("ip", "-o", "-4", "addr", "show", "dev", dev)).stdout());
  }

  private boolean present(String table, String chain, List<String> args) throws NetworkRefusal {
    List<String> check = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-C", chain));
    check.addAll(args);
    CommandResult r = runner.run(check);
    if (r.exitCode() == 0 || r.exitCode() == 1) { // 1: "Bad rule (does a matching rule exist …?)"
      return r.exitCode() == 0;
    }
    throw failed(r, "");
  }

  private void restore(String input) throws NetworkRefusal {
    LOG.debug("iptables-restore --noflush input:\n{}", input);
    CommandResult r = runner.run(List.of("iptables-restore", "-w", "--noflush"),
        input.getBytes(StandardCharsets.UTF_8), RESTORE_TIMEOUT);
    if (!r.succeeded()) {
      // iptables-restore names only the line number: show the line itself
      String hint = "";
      Matcher m = RESTORE_LINE.matcher(r.stderr());
      if (m.find()) {
        String[] lines = input.split("\n");
        int n = Integer.parseInt(m.group(1));
        if (n >= 1 && n <= lines.length) {
          hint = " (input line " + n + ": " + lines[n - 1] + ")";
        }
      }
      throw failed(r, hint);
    }
  }

  private CommandResult must(List<String> command) throws NetworkRefusal {
    CommandResult r = runner.run(command);
    if (!r.succeeded()) {
      throw failed(r, "");
    }
    return r;
  }

  private static NetworkRefusal failed(CommandResult r, String hint) {
    CommandFailedException e = new CommandFailedException(r);
    return refused(e.getMessage() + hint, e);
  }

  private static NetworkRefusal refused(String message, Exception cause) {
    LOG.warn(message);
    return new NetworkRefusal(message, cause);
  }
}
