package com.eucalyptus.cc.network.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.eucalyptus.cc.network.NetworkRefusal;
import com.eucalyptus.cc.network.model.ActiveNetwork;
import com.eucalyptus.cc.network.model.GroupRef;
import com.eucalyptus.cc.network.model.HostNetworkPlan;
import com.eucalyptus.cc.network.model.IngressRule;
import com.eucalyptus.cc.network.model.Ipv4Block;
import com.eucalyptus.cc.network.model.PublicAssignment;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LinuxHostNetwork against the real kernel, in network namespaces the test makes (the machine's
 * own tables, addresses and sysctls are compared before and after, and the test fails if they
 * changed):
 *
 * <pre>
 *   ga 10.77.0.130/26 ─┐                         ┌─ eth1 198.51.100.1/24 ── inet 198.51.100.2/24
 *   (group alice-web)  ├─ br0 [fe: the CC] ──────┤    (+ public addresses /32)
 *   gb 10.77.0.194/26 ─┘   192.168.50.1/24       └─ eth2 172.31.99.1/24 ──── clc 172.31.99.2/24 :8773
 *   (group bob-db)         (+ routers .129, .193)                             (routes 10.77.0.0/24 via fe)
 * </pre>
 *
 * Each guest's default route is its block's router, which only the CC's apply puts on br0. What
 * is asserted is what a user sees: TCP connections made, refused (dropped), and the source
 * address the far end sees.
 */
class LinuxHostNetworkTest {
  static final String ID = UUID.randomUUID().toString().substring(0, 6);
  static final String FE = "hn-fe-" + ID;
  static final String GA = "hn-ga-" + ID;
  static final String GB = "hn-gb-" + ID;
  static final String INET = "hn-inet-" + ID;
  static final String CLC = "hn-clc-" + ID;
  static final GroupRef WEB = new GroupRef("alice", "web");
  static final GroupRef DB = new GroupRef("bob", "db");
  static final Ipv4Block SUBNET = Ipv4Block.parse("10.77.0.0/24");
  static final ActiveNetwork WEB_NET = new ActiveNetwork(WEB, 2, Ipv4Block.parse("10.77.0.128/26"));
  static final ActiveNetwork DB_NET = new ActiveNetwork(DB, 3, Ipv4Block.parse("10.77.0.192/26"));
  static final String A = "10.77.0.130";
  static final String B = "10.77.0.194";
  static final String PUB_A = "198.51.100.10";
  static final String PUB_FREE = "198.51.100.11";
  static final List<String> POOL = List.of(PUB_A, PUB_FREE);

  static String rootBefore;
  static Path probe;
  static final List<Process> processes = new ArrayList<>();
  static final List<String> namespaces = new ArrayList<>();
  static LinuxHostNetwork host;

  @BeforeAll
  static void topology() throws Exception {
    skipIf(!"root".equals(System.getProperty("user.name")), "needs root for ip netns");
    // fresh-check's chroot cannot enter namespaces ("mount --make-rslave /"); CI on a real machine can
    skipIf("1".equals(System.getenv("EUCA_SKIP_NETNS_TESTS")), "EUCA_SKIP_NETNS_TESTS=1");
    for (String tool : List.of("/usr/sbin/iptables-restore", "/usr/sbin/iptables-save", "/usr/bin/python3")) {
      skipIf(!Files.isExecutable(Path.of(tool)), tool + " is not installed (dev/packages.sh: iptables, python3)");
    }
    rootBefore = rootState();
    probe = Files.createTempFile("tcpprobe", ".py");
    try (InputStream in = LinuxHostNetworkTest.class.getResourceAsStream("/host-network/tcpprobe.py")) {
      Files.write(probe, in.readAllBytes());
    }
    for (String ns : List.of(FE, GA, GB, INET, CLC)) {
      sh("ip", "netns", "add", ns);
      namespaces.add(ns);
      sh("ip", "-n", ns, "link", "set", "lo", "up");
    }
    // the guests' bridge, with an address of the host's own that the CC must leave alone
    sh("ip", "-n", FE, "link", "add", "br0", "type", "bridge");
    sh("ip", "-n", FE, "addr", "add", "192.168.50.1/24", "dev", "br0");
    sh("ip", "-n", FE, "link", "set", "br0", "up");
    guest(GA, "vga", A + "/26", WEB_NET.router());
    guest(GB, "vgb", B + "/26", DB_NET.router());
    link(FE, "eth1", "198.51.100.1/24", INET, "198.51.100.2/24");
    link(FE, "eth2", "172.31.99.1/24", CLC, "172.31.99.2/24");
    // the CLC's host routes the private subnet through the CC (docs: metadata)
    sh("ip", "-n", CLC, "route", "add", SUBNET.toString(), "via", "172.31.99.1");
    host = new LinuxHostNetwork(new NamespaceCommandRunner(FE));
    serve(GA, 2222);
    serve(GA, 8080);
    serve(GB, 5432);
    serve(INET, 7000);
    serve(CLC, 8773);
    serve(FE, 9099); // a service of the front end's own, reached at its router address
  }

  static void guest(String ns, String bridgePort, String address, String router) throws Exception {
    sh("ip", "-n", FE, "link", "add", bridgePort, "type", "veth", "peer", "name", "eth0", "netns", ns);
    sh("ip", "-n", FE, "link", "set", bridgePort, "master", "br0", "up");
    sh("ip", "-n", ns, "addr", "add", address, "dev", "eth0");
    sh("ip", "-n", ns, "link", "set", "eth0", "up");
    sh("ip", "-n", ns, "route", "add", "default", "via", router);
  }

  static void link(String ns, String dev, String address, String peerNs, String peerAddress) throws Exception {
    sh("ip", "-n", ns, "link", "add", dev, "type", "veth", "peer", "name", "eth0", "netns", peerNs);
    sh("ip", "-n", ns, "addr", "add", address, "dev", dev);
    sh("ip", "-n", ns, "link", "set", dev, "up");
    sh("ip", "-n", peerNs, "addr", "add", peerAddress, "dev", "eth0");
    sh("ip", "-n", peerNs, "link", "set", "eth0", "up");
  }

  @AfterAll
  static void removeTopology() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
    for (String ns : namespaces) {
      sh("ip", "netns", "del", ns);
    }
    if (probe != null) {
      Files.deleteIfExists(probe);
    }
    if (rootBefore != null) {
      assertEquals(rootBefore, rootState(), "the machine's own iptables, addresses or sysctls changed");
    }
  }

  // --- the plans

  static HostNetworkPlan plan(List<ActiveNetwork> networks, Map<GroupRef, List<IngressRule>> rules,
      Map<String, String> assigned, String metadata) {
    List<PublicAssignment> pool = new ArrayList<>();
    for (String p : POOL) {
      pool.add(new PublicAssignment(p, assigned.get(p)));
    }
    return new HostNetworkPlan(SUBNET, "br0", "eth1", networks, rules, pool, metadata);
  }

  static IngressRule tcp(int port, String cidr) {
    return new IngressRule("tcp", port, port, List.of(cidr), List.of());
  }

  // --- the checks

  @Test
  void aRuleOpensNewConnectionsAndItsRevokeClosesOnlyNewOnes() throws Exception {
    Map<String, String> pubA = Map.of(PUB_A, A);
    host.apply(plan(List.of(WEB_NET), Map.of(), pubA, null));
    assertRefused(INET, PUB_A, 2222);

    host.apply(plan(List.of(WEB_NET), Map.of(WEB, List.of(tcp(2222, "0.0.0.0/0"))), pubA, null));
    // DNAT only: the guest sees the internet's own address
    assertEquals("from 198.51.100.2", connect(INET, PUB_A, 2222));
    try (Session open = new Session(INET, PUB_A, 2222)) {
      assertEquals("from 198.51.100.2", open.greeting);
      // a CC restart: a new LinuxHostNetwork applies the same plan; the session goes on
      new LinuxHostNetwork(new NamespaceCommandRunner(FE))
          .apply(plan(List.of(WEB_NET), Map.of(WEB, List.of(tcp(2222, "0.0.0.0/0"))), pubA, null));
      assertEquals("one", open.say("one"));

      host.apply(plan(List.of(WEB_NET), Map.of(), pubA, null)); // revoke
      assertRefused(INET, PUB_A, 2222);
      assertEquals("two", open.say("two"), "an open connection survives the revoke");
    }
    // a rule for another port or source opens nothing here
    host.apply(plan(List.of(WEB_NET), Map.of(WEB, List.of(tcp(8080, "0.0.0.0/0"), tcp(2222, "203.0.113.0/24"))),
        pubA, null));
    assertRefused(INET, PUB_A, 2222);
    assertEquals("from 198.51.100.2", connect(INET, PUB_A, 8080));
  }

  @Test
  void aPublicAddressLeadsToItsGuestAndTheGuestGoesOutFromIt() throws Exception {
    Map<GroupRef, List<IngressRule>> open = Map.of(WEB, List.of(tcp(2222, "0.0.0.0/0")));
    host.apply(plan(List.of(WEB_NET, DB_NET), open, Map.of(PUB_A, A), null));
    assertEquals("from 198.51.100.2", connect(INET, PUB_A, 2222));
    assertEquals("from " + PUB_A, connect(GA, "198.51.100.2", 7000), "SNAT to the guest's public address");
    assertEquals("from 198.51.100.1", connect(GB, "198.51.100.2", 7000), "a guest without one is masqueraded");
    // the front end itself reaches the guest by its public address (nat OUTPUT)
    assertTrue(connect(FE, PUB_A, 2222).startsWith("from "), "from the front end");
    assertTrue(addresses(FE, "eth1").contains(PUB_A + "/32"));
    assertFalse(addresses(FE, "eth1").contains(PUB_FREE + "/32"), "a free address is not held");

    // an address the administrator put there, not of the pool, stays through every apply
    sh("ip", "-n", FE, "addr", "add", "198.51.100.99/32", "dev", "eth1");
    host.apply(plan(List.of(WEB_NET, DB_NET), open, Map.of(), null)); // disassociate
    assertRefused(INET, PUB_A, 2222);
    assertEquals("from 198.51.100.1", connect(GA, "198.51.100.2", 7000));
    List<String> eth1 = addresses(FE, "eth1");
    assertFalse(eth1.contains(PUB_A + "/32"), eth1.toString());
    assertTrue(eth1.contains("198.51.100.99/32") && eth1.contains("198.51.100.1/24"), eth1.toString());

    // a plan that lists only the assigned addresses (not the free ones of the pool): an address
    // this CC added is still taken away with its assignment
    host.apply(plan(List.of(WEB_NET, DB_NET), open, Map.of(PUB_A, A), null));
    assertTrue(addresses(FE, "eth1").contains(PUB_A + "/32"));
    host.apply(new HostNetworkPlan(SUBNET, "br0", "eth1", List.of(WEB_NET, DB_NET), open, List.of(), null));
    assertFalse(addresses(FE, "eth1").contains(PUB_A + "/32"));

    // re-associate to the other guest: the address moves
    host.apply(plan(List.of(WEB_NET, DB_NET), Map.of(DB, List.of(tcp(5432, "0.0.0.0/0"))), Map.of(PUB_A, B), null));
    assertEquals("from 198.51.100.2", connect(INET, PUB_A, 5432));
    assertEquals("from " + PUB_A, connect(GB, "198.51.100.2", 7000));
  }

  @Test
  void betweenGroupsOnlyWhatTheRulesAllow() throws Exception {
    // the namespace's count of redirects sent; other checks cause some on eth1 (the internet's
    // stale ARP entry for a public address taken away), so only this test's traffic is counted
    long redirects = icmpOutRedirects(FE);
    host.apply(plan(List.of(WEB_NET, DB_NET), Map.of(), Map.of(), null));
    assertRefused(GB, A, 8080);
    assertRefused(GA, B, 5432);
    // web lets db's network in on 8080: the guest sees db's private address (no NAT between groups)
    Map<GroupRef, List<IngressRule>> rules =
        Map.of(WEB, List.of(new IngressRule("tcp", 8080, 8080, List.of(), List.of(DB))));
    host.apply(plan(List.of(WEB_NET, DB_NET), rules, Map.of(), null));
    assertEquals("from " + B, connect(GB, A, 8080));
    assertRefused(GB, A, 2222);
    assertRefused(GA, B, 5432);
    // the CC routed that back out of br0 without telling b (ICMP redirect) to go to a directly
    assertEquals(redirects, icmpOutRedirects(FE), "ICMP redirects sent by the front end");
    assertTrue(sh("ip", "-n", GB, "route", "get", A).contains("via " + DB_NET.router()));
    assertEquals("1", sh("ip", "netns", "exec", FE, "sysctl", "-n", "net.ipv4.ip_forward").strip());
    assertEquals("0", sh("ip", "netns", "exec", FE, "sysctl", "-n", "net.ipv4.conf.all.send_redirects").strip());
    assertEquals("0", sh("ip", "netns", "exec", FE, "sysctl", "-n", "net.ipv4.conf.br0.send_redirects").strip());
    // a source group that is not active lets nothing in
    host.apply(plan(List.of(WEB_NET), rules, Map.of(), null));
    assertRefused(GB, A, 8080);
    List<String> br0 = addresses(FE, "br0");
    assertFalse(br0.contains(DB_NET.router() + "/26"), "db's router went with its network: " + br0);
    assertTrue(br0.contains("192.168.50.1/24"), "the host's own address stays: " + br0);
  }

  @Test
  void theFrontEndsOwnConnectionsToTheGuestsMeetTheGroupsToo() throws Exception {
    Map<String, String> pubA = Map.of(PUB_A, A);
    Map<GroupRef, List<IngressRule>> open = Map.of(WEB, List.of(tcp(2222, "0.0.0.0/0")));
    host.apply(plan(List.of(WEB_NET, DB_NET), Map.of(), pubA, null));
    // through nat OUTPUT's DNAT of the public address (ssh from the CC host), and straight to the
    // private address: neither reaches the guest before a rule allows it
    assertRefused(FE, PUB_A, 2222);
    assertRefused(FE, A, 2222);
    assertRefused(FE, B, 5432);
    // the front end's output elsewhere is untouched: the internet, the CLC, its own router address
    assertEquals("from 198.51.100.1", connect(FE, "198.51.100.2", 7000));
    assertEquals("from 172.31.99.1", connect(FE, "172.31.99.2", 8773));
    assertEquals("from " + WEB_NET.router(), connect(FE, WEB_NET.router(), 9099));
    // dhcpd's unicast answer to a renewing guest (udp 67 → 68) goes out; other udp to it does not
    assertEquals("from " + WEB_NET.router() + ":67 dhcp", udp(FE, 67, GA, A, 68));
    assertEquals("nothing", udp(FE, 6700, GA, A, 68));
    // the front end's ICMP errors about a guest's traffic are RELATED: a hop of a traceroute
    assertEquals("time exceeded", ttlOneProbe(GA, "198.51.100.2"));

    host.apply(plan(List.of(WEB_NET, DB_NET), open, pubA, null));
    // the source a group's rule sees: the front end's own address towards the guest; a connection
    // to the public address keeps that address as its source (it was chosen before the DNAT)
    assertEquals("from " + PUB_A, connect(FE, PUB_A, 2222));
    assertEquals("from " + WEB_NET.router(), connect(FE, A, 2222));
    assertRefused(FE, A, 8080); // another port
    assertRefused(FE, B, 5432); // another group
    try (Session viaPublic = new Session(FE, PUB_A, 2222); Session direct = new Session(FE, A, 2222)) {
      assertEquals("from " + PUB_A, viaPublic.greeting);
      assertEquals("from " + WEB_NET.router(), direct.greeting);
      // a CC restart: a new LinuxHostNetwork applies the same plan; both sessions go on
      new LinuxHostNetwork(new NamespaceCommandRunner(FE)).apply(plan(List.of(WEB_NET, DB_NET), open, pubA, null));
      assertEquals("one", viaPublic.say("one"));
      assertEquals("one", direct.say("one"));

      host.apply(plan(List.of(WEB_NET, DB_NET), Map.of(), pubA, null)); // revoke
      assertRefused(FE, PUB_A, 2222);
      assertRefused(FE, A, 2222);
      assertEquals("two", viaPublic.say("two"), "an open connection survives the revoke");
      assertEquals("two", direct.say("two"), "an open connection survives the revoke");
    }
    // a rule for a CIDR admits the front end only where its source address is in it
    host.apply(plan(List.of(WEB_NET, DB_NET), Map.of(WEB, List.of(tcp(2222, "198.51.100.0/24"))), pubA, null));
    assertEquals("from " + PUB_A, connect(FE, PUB_A, 2222));
    assertRefused(FE, A, 2222);
    // in filter OUTPUT nothing of the CC's but the one jump, and its policy as it was
    String tables = save(FE);
    String filter = tables.substring(tables.indexOf("*filter"), tables.indexOf("COMMIT", tables.indexOf("*filter")));
    assertEquals(1, count(filter, "-A OUTPUT "), filter);
    assertEquals(1, count(filter, "-A OUTPUT -j EUCA-LOCAL"), filter);
    assertTrue(filter.contains(":OUTPUT ACCEPT [0:0]"), filter);
  }

  @Test
  void metadataReachesTheClcFromTheGuestsOwnAddress() throws Exception {
    // even for a guest with a public address: the CLC tells guests apart by source address
    host.apply(plan(List.of(WEB_NET), Map.of(), Map.of(PUB_A, A), "172.31.99.2:8773"));
    assertEquals("from " + A, connect(GA, "169.254.169.254", 80));
    assertRefused(CLC, A, 8080); // and the CLC gets no way into the group for it
    host.apply(plan(List.of(WEB_NET), Map.of(), Map.of(PUB_A, A), null));
    assertRefused(GA, "169.254.169.254", 80);
  }

  @Test
  void theSamePlanTwiceGivesTheSameTablesAndHooksOnce() throws Exception {
    HostNetworkPlan p = plan(List.of(WEB_NET, DB_NET), Map.of(WEB, List.of(tcp(22, "0.0.0.0/0"),
        new IngressRule("icmp", 8, -1, List.of(), List.of(DB)))), Map.of(PUB_A, A), "172.31.99.2:8773");
    host.apply(p);
    String first = save(FE);
    host.apply(p);
    assertEquals(first, save(FE));
    for (String hook : List.of("-A FORWARD -j EUCA-FORWARD", "-A OUTPUT -j EUCA-LOCAL",
        "-A PREROUTING -j EUCA-PREROUTING", "-A OUTPUT -j EUCA-OUTPUT", "-A POSTROUTING -j EUCA-POSTROUTING")) {
      assertEquals(1, count(first, hook), hook + " in\n" + first);
    }
    assertTrue(first.contains("-A alice-web -p tcp -m tcp --dport 22 -j ACCEPT"), first);
    // a jump someone deleted is back (first in its chain) after the next apply
    sh("ip", "netns", "exec", FE, "iptables", "-D", "FORWARD", "-j", "EUCA-FORWARD");
    sh("ip", "netns", "exec", FE, "iptables", "-D", "OUTPUT", "-j", "EUCA-LOCAL");
    sh("ip", "netns", "exec", FE, "iptables", "-t", "nat", "-D", "POSTROUTING", "-j", "EUCA-POSTROUTING");
    host.apply(p);
    assertEquals(first, save(FE));
  }

  @Test
  void aGroupWithALongNameHasAShortChainThatWorksAndGoesAway() throws Exception {
    GroupRef longGroup = new GroupRef("alice", "a-group-name-of-exactly-forty-characters".substring(0, 34));
    assertEquals(40, longGroup.netName().length());
    ActiveNetwork net = new ActiveNetwork(longGroup, 2, WEB_NET.block());
    String chain = ChainNames.forGroup(longGroup);
    host.apply(plan(List.of(net), Map.of(longGroup, List.of(tcp(2222, "0.0.0.0/0"))), Map.of(PUB_A, A), null));
    assertEquals("from 198.51.100.2", connect(INET, PUB_A, 2222));
    assertTrue(save(FE).contains(":" + chain + " - "), chain);
    host.apply(plan(List.of(), Map.of(), Map.of(), null));
    assertFalse(save(FE).contains(chain), "the chain of a network no longer active is deleted");
    assertRefused(INET, PUB_A, 2222);
  }

  @Test
  void preloadAddsTheAdministratorsRulesOnceAndNoPolicy() throws Exception {
    Path preload = Files.createTempFile("iptables-preload", "");
    try {
      Files.writeString(preload, """
          # Generated by iptables-save v1.8.9 (nf_tables) on Mon Dec  7 21:53:50 2026
          *filter
          :INPUT ACCEPT [0:0]
          :FORWARD DROP [0:0]
          :OUTPUT ACCEPT [0:0]
          :ADMIN-IN - [0:0]
          :EUCA-FORWARD - [0:0]
          -A INPUT -j ADMIN-IN
          -A FORWARD -j EUCA-FORWARD
          -A FORWARD -s 203.0.113.0/24 -j DROP
          -A ADMIN-IN -p tcp -m tcp --dport 9999 -m comment --comment "the admin's \\"own\\" rule" -j ACCEPT
          -A ADMIN-IN -s 10.9.9.9 -p udp --dport 53 -j ACCEPT
          COMMIT
          *nat
          :POSTROUTING ACCEPT [0:0]
          -A POSTROUTING -o eth9 -j MASQUERADE
          COMMIT
          """);
      host.preload(preload);
      host.apply(plan(List.of(WEB_NET), Map.of(), Map.of(), null));
      host.preload(preload); // a CC restart
      host.apply(plan(List.of(WEB_NET), Map.of(), Map.of(), null));
      String tables = save(FE);
      assertEquals(1, count(tables, "-A INPUT -j ADMIN-IN"), tables);
      assertEquals(1, count(tables, "-A ADMIN-IN -p tcp -m tcp --dport 9999"), tables);
      assertEquals(1, count(tables, "-A POSTROUTING -o eth9 -j MASQUERADE"), tables);
      // hand-written (not as iptables-save writes it): still only once
      assertEquals(1, count(tables, "-A ADMIN-IN -s 10.9.9.9/32 -p udp -m udp --dport 53 -j ACCEPT"), tables);
      assertEquals(1, count(tables, "-A FORWARD -j EUCA-FORWARD"), tables);
      assertTrue(tables.contains(":FORWARD ACCEPT"), "the preload's FORWARD policy is not applied:\n" + tables);
      // the CC's jump comes first in FORWARD; the admin's rules follow
      assertEquals(1, count(tables, "-A FORWARD -s 203.0.113.0/24 -j DROP"), tables);
      assertTrue(tables.indexOf("-A FORWARD -j EUCA-FORWARD") < tables.indexOf("-A FORWARD -s 203.0.113.0/24"),
          tables);
      host.preload(Path.of("/nonexistent/iptables-preload")); // no file: nothing to do
    } finally {
      Files.delete(preload);
    }
  }

  @Test
  void aFailedCommandIsARefusalThatSaysWhy() {
    HostNetworkPlan p = new HostNetworkPlan(SUBNET, "nosuch0", "eth1", List.of(WEB_NET), Map.of(), List.of(), null);
    NetworkRefusal r = assertThrows(NetworkRefusal.class, () -> host.apply(p));
    assertTrue(r.getMessage().contains("nosuch0") && r.getMessage().contains("does not exist"), r.getMessage());
    assertEquals(null, r.code());
  }

  // --- helpers

  /** iptables-save of a namespace without its date comments and counters. */
  static String save(String ns) throws Exception {
    return normalised(sh("ip", "netns", "exec", ns, "iptables-save"));
  }

  static String normalised(String iptablesSave) {
    return iptablesSave.replaceAll("(?m)^#.*\n", "").replaceAll("\\[\\d+:\\d+\\]", "[0:0]");
  }

  /** The machine's own iptables, IPv4 addresses and the sysctls the CC sets. */
  static String rootState() throws Exception {
    StringBuilder addresses = new StringBuilder();
    // the interfaces the plans name (LinuxHostNetwork adds and removes addresses only there):
    // other helpers' tests may add interfaces of their own to the machine meanwhile
    for (String line : sh("ip", "-o", "-4", "addr", "show").split("\n")) {
      String[] w = line.strip().split("\\s+");
      if (w.length > 1 && List.of("br0", "eth1", "eth2", "nosuch0").contains(w[1])) {
        addresses.append(line).append('\n');
      }
    }
    return normalised(sh("iptables-save")) + addresses
        + sh("sysctl", "net.ipv4.ip_forward", "net.ipv4.conf.all.send_redirects");
  }

  static List<String> addresses(String ns, String dev) throws Exception {
    return List.copyOf(AddressReconciler.parse(sh("ip", "-n", ns, "-o", "-4", "addr", "show", "dev", dev)));
  }

  /** Icmp OutRedirects of the namespace's /proc/net/snmp (header line, then values line). */
  static long icmpOutRedirects(String ns) throws Exception {
    List<String> icmp = sh("ip", "netns", "exec", ns, "cat", "/proc/net/snmp").lines()
        .filter(l -> l.startsWith("Icmp:")).toList();
    List<String> names = List.of(icmp.get(0).split("\\s+"));
    return Long.parseLong(icmp.get(1).split("\\s+")[names.indexOf("OutRedirects")]);
  }

  static int count(String text, String part) {
    int n = 0;
    for (int k = text.indexOf(part); k >= 0; k = text.indexOf(part, k + 1)) {
      n++;
    }
    return n;
  }

  static void serve(String ns, int port) throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/bin/python3", probe.toString(), "serve",
        String.valueOf(port)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.add(p);
    String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertEquals("ready", ready, "listener on " + ns + ":" + port);
  }

  /** Connects from {@code ns}; the listener's greeting ("from <source address>"), or "FAIL …". */
  static String connect(String ns, String host, int port) throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/bin/python3", probe.toString(), "connect", host,
        String.valueOf(port)).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  static void assertRefused(String ns, String host, int port) throws Exception {
    String got = connect(ns, host, port);
    assertTrue(got.startsWith("FAIL"), ns + " → " + host + ":" + port + " should not connect, got: " + got);
  }

  /**
   * One UDP datagram "dhcp" from {@code fromNs}'s port {@code sport} to {@code host:port}, where a
   * listener in {@code toNs} waits 2 s: what it got ("from a.b.c.d:port dhcp"), or "nothing".
   */
  static String udp(String fromNs, int sport, String toNs, String host, int port) throws Exception {
    Process listener = new ProcessBuilder("ip", "netns", "exec", toNs, "/usr/bin/python3", "-c", """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", int(sys.argv[1])))
        print("ready", flush=True)
        s.settimeout(2)
        try:
            d, a = s.recvfrom(100)
            print("from %s:%d %s" % (a[0], a[1], d.decode()), flush=True)
        except socket.timeout:
            print("nothing", flush=True)
        """, String.valueOf(port)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader in = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("ready", in.readLine(), "udp listener on " + toNs + ":" + port);
      // a DROP in OUTPUT makes sendto fail (EPERM): that is the sender's business, not checked here
      new ProcessBuilder("ip", "netns", "exec", fromNs, "/usr/bin/python3", "-c", """
          import socket, sys
          s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
          s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
          s.bind(("0.0.0.0", int(sys.argv[1])))
          try:
              s.sendto(b"dhcp", (sys.argv[2], int(sys.argv[3])))
          except OSError:
              pass
          """, String.valueOf(sport), host, String.valueOf(port)).redirectErrorStream(true).start()
          .waitFor(10, TimeUnit.SECONDS);
      return in.readLine();
    } finally {
      listener.destroyForcibly();
      listener.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /**
   * A UDP datagram with TTL 1 from {@code ns} to {@code host} (a traceroute's first probe): "time
   * exceeded" when the router's ICMP error came back (Linux reports it as EHOSTUNREACH, with
   * IP_RECVERR), else what happened.
   */
  static String ttlOneProbe(String ns, String host) throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/bin/python3", "-c", """
        import errno, socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 1)
        s.setsockopt(socket.IPPROTO_IP, 11, 1)  # IP_RECVERR
        s.settimeout(2)
        s.connect((sys.argv[1], 33434))
        s.send(b"probe")
        try:
            s.recv(100)
            print("an answer")
        except socket.timeout:
            print("nothing")
        except OSError as e:
            print("time exceeded" if e.errno == errno.EHOSTUNREACH else repr(e))
        """, host).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  /** A TCP connection kept open across applies. */
  static final class Session implements AutoCloseable {
    final Process process;
    final BufferedReader in;
    final Writer out;
    final String greeting;

    Session(String ns, String host, int port) throws Exception {
      process = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/bin/python3", probe.toString(), "connect", host,
          String.valueOf(port)).redirectErrorStream(true).start();
      in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      greeting = in.readLine();
    }

    String say(String line) throws Exception {
      out.write(line + "\n");
      out.flush();
      return in.readLine();
    }

    @Override
    public void close() throws Exception {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  static void skipIf(boolean condition, String reason) {
    if (condition) {
      System.out.println("LinuxHostNetworkTest skipped: " + reason);
    }
    assumeTrue(!condition, reason);
  }

  static String sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + out);
    }
    return out;
  }
}
