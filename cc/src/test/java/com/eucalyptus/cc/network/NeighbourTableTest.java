package com.eucalyptus.cc.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.instances.InstanceTable;
import com.eucalyptus.cc.resources.ResourceCalculator.VmType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads a real kernel neighbour table: a network namespace made for the test, with a veth pair
 * inside it and neighbour entries added there as a guest's ARP reply would add them (the machine's
 * own networking is never touched). The table is read through /proc/PID/net/arp of a process
 * living in that namespace. Needs root (ip netns), as the CC itself does for the real table.
 */
class NeighbourTableTest {
  static final String NS = "cc-arp-test-" + UUID.randomUUID().toString().substring(0, 8);
  /** a guest's namespace, wired to NS by the veth pair vc (in NS) – vd (here) */
  static final String GUEST = NS + "-guest";
  static Process inNamespace;
  static Path table;

  static void ip(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
    }
  }

  @BeforeAll
  static void makeNamespace() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root for ip netns");
    // fresh-check's chroot cannot enter namespaces ("mount --make-rslave /"); CI on a real machine can
    assumeTrue(!"1".equals(System.getenv("EUCA_SKIP_NETNS_TESTS")), "EUCA_SKIP_NETNS_TESTS=1");
    ip("netns", "add", NS);
    ip("-n", NS, "link", "add", "va", "type", "veth", "peer", "name", "vb");
    ip("-n", NS, "link", "set", "va", "up");
    ip("-n", NS, "link", "set", "vb", "up");
    ip("-n", NS, "addr", "add", "10.123.0.1/24", "dev", "va");
    // a guest that answered ARP on the guests' interface va
    ip("-n", NS, "neigh", "add", "10.123.0.7", "lladdr", "D0:0D:12:34:56:78", "dev", "va", "nud", "reachable");
    // an address asked for that never answered: no MAC
    ip("-n", NS, "neigh", "add", "10.123.0.8", "dev", "va", "nud", "incomplete");
    // a host on another interface
    ip("-n", NS, "neigh", "add", "10.124.0.9", "lladdr", "d0:0d:aa:bb:cc:dd", "dev", "vb", "nud", "permanent");
    // a guest at 10.125.0.50 that nobody has talked to yet
    ip("netns", "add", GUEST);
    ip("-n", NS, "link", "add", "vc", "type", "veth", "peer", "name", "vd");
    ip("-n", NS, "link", "set", "vd", "netns", GUEST);
    ip("-n", NS, "addr", "add", "10.125.0.1/24", "dev", "vc");
    ip("-n", NS, "link", "set", "vc", "up");
    ip("-n", GUEST, "addr", "add", "10.125.0.50/24", "dev", "vd");
    ip("-n", GUEST, "link", "set", "vd", "up");
    inNamespace = new ProcessBuilder("ip", "netns", "exec", NS, "sleep", "300").start();
    table = Path.of("/proc", String.valueOf(inNamespace.pid()), "net", "arp");
    // wait until the process has entered the namespace (its table shows our entries)
    for (int k = 0; k < 50 && !java.nio.file.Files.readString(table).contains("10.123.0.7"); k++) {
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void removeNamespace() throws Exception {
    if (inNamespace != null) {
      inNamespace.destroy();
      inNamespace.waitFor(5, TimeUnit.SECONDS);
    }
    for (String ns : new String[] {GUEST, NS}) {
      try {
        ip("netns", "del", ns);
      } catch (Exception e) {
        // not made (no root)
      }
    }
  }

  @Test
  void completeEntriesOfTheGuestsInterfaceAreFoundByMac() throws Exception {
    Map<String, String> onVa = new NeighbourTable(table, "va").read();
    assertEquals(Map.of("d0:0d:12:34:56:78", "10.123.0.7"), onVa);
    Map<String, String> all = new NeighbourTable(table, null).read();
    assertEquals("10.123.0.7", all.get("d0:0d:12:34:56:78"));
    assertEquals("10.124.0.9", all.get("d0:0d:aa:bb:cc:dd"));
    assertFalse(all.containsValue("10.123.0.8"));
  }

  @Test
  void anInstanceGetsTheAddressItsMacHasAndOthersKeepNone() {
    VmType small = new VmType("m1.small", 128, 1, 2);
    InstanceTable t = new InstanceTable();
    t.placed(new Instance("i-1", "r-1", "u", "emi-1", "eki-1", null, small, null, Instant.now(), "Extant",
        "d0:0d:12:34:56:78", "d0:0d:12:34:56:78", 0, null, null, "n", null, "0", List.of(), null, Instant.now()));
    t.placed(new Instance("i-2", "r-1", "u", "emi-1", "eki-1", null, small, null, Instant.now(), "Extant",
        "d0:0d:00:00:00:02", "d0:0d:00:00:00:02", 0, null, null, "n", null, "1", List.of(), null, Instant.now()));
    new SystemModeAddresses(new NeighbourTable(table, "va"), null).learn(t);
    assertEquals("10.123.0.7", t.get("i-1").privateIp());
    assertEquals("10.123.0.7", t.get("i-1").publicIp());
    assertEquals(Instance.NO_ADDRESS, t.get("i-2").privateIp());
  }

  @Test
  void aSweepOfTheGuestsSubnetBringsASilentGuestIntoTheTable() throws Exception {
    String guestMac = macOf();
    assertFalse(new NeighbourTable(table, "vc").read().containsKey(guestMac));
    // the CC's sweep, run inside NS (the test's JVM lives in the machine's own namespace)
    Process p = new ProcessBuilder("ip", "netns", "exec", NS, Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), ArpProbe.class.getName(), "vc")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.endsWith("253"), out); // 10.125.0.1-254 but its own address
    Map<String, String> learnt = Map.of();
    for (int k = 0; k < 40 && !learnt.containsKey(guestMac); k++) {
      Thread.sleep(50);
      learnt = new NeighbourTable(table, "vc").read();
    }
    assertEquals("10.125.0.50", learnt.get(guestMac));
  }

  /** vd's MAC, as its namespace reports it. */
  static String macOf() throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", GUEST, "cat", "/sys/class/net/vd/address").start();
    String mac = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return mac;
  }
}
