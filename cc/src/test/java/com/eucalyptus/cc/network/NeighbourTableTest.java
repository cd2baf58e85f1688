package com.eucalyptus.cc.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    try {
      ip("netns", "del", NS);
    } catch (Exception e) {
      // not made (no root)
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
    new SystemModeAddresses(new NeighbourTable(table, "va")).learn(t);
    assertEquals("10.123.0.7", t.get("i-1").privateIp());
    assertEquals("10.123.0.7", t.get("i-1").publicIp());
    assertEquals(Instance.NO_ADDRESS, t.get("i-2").privateIp());
  }
}
