package com.eucalyptus.cc.network.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.eucalyptus.cc.network.model.Ipv4Block;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CC's dhcpd for real: Debian's ISC dhcpd, started, restarted and stopped by
 * {@link DhcpDaemon}, serving a network namespace made for the test (the front end's side of a
 * veth pair), and a real DHCP client (busybox udhcpc) with the guest's fixed MAC in a second
 * namespace. The machine's own interfaces and firewall are never touched: VNET_DHCPDAEMON is a
 * two-line wrapper that runs dhcpd inside the test's namespace, as an administrator could point it
 * at any wrapper. Needs root (ip netns), /usr/sbin/dhcpd (isc-dhcp-server) and /bin/busybox
 * (busybox-static).
 */
class DhcpDaemonNamespaceTest {
  static final String NS = "cc-dhcp-test-" + UUID.randomUUID().toString().substring(0, 8);
  static final String GUEST = NS + "-guest";
  static final String MAC = "d0:0d:12:34:56:78";
  static final Ipv4Block NET = Ipv4Block.parse("10.126.0.0/24");
  @TempDir
  static Path dir;
  static Path wrapper;
  static Path clientScript;

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
    }
    return out;
  }

  @BeforeAll
  static void makeNamespaces() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root for ip netns");
    assumeTrue(!"1".equals(System.getenv("EUCA_SKIP_NETNS_TESTS")), "EUCA_SKIP_NETNS_TESTS=1");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dhcpd")), "no /usr/sbin/dhcpd (apt-get install isc-dhcp-server)");
    assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "no /bin/busybox for udhcpc (apt-get install busybox-static)");
    run("ip", "netns", "add", NS);
    run("ip", "netns", "add", GUEST);
    run("ip", "-n", NS, "link", "add", "va", "type", "veth", "peer", "name", "vb");
    run("ip", "-n", NS, "link", "set", "vb", "netns", GUEST);
    run("ip", "-n", NS, "addr", "add", "10.126.0.1/24", "dev", "va");
    run("ip", "-n", NS, "link", "set", "va", "up");
    run("ip", "-n", GUEST, "link", "set", "vb", "address", MAC);
    run("ip", "-n", GUEST, "link", "set", "vb", "up");
    wrapper = dir.resolve("dhcpd-in-namespace");
    Files.writeString(wrapper, "#!/bin/sh\nexec ip netns exec " + NS + " /usr/sbin/dhcpd \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    clientScript = dir.resolve("udhcpc-event");
    Files.writeString(clientScript, "#!/bin/sh\n[ \"$1\" = bound ] && echo \"BOUND ip=$ip router=$router mask=$mask dns=$dns\"\n"
        + "exit 0\n");
    Files.setPosixFilePermissions(clientScript, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  static void removeNamespaces() {
    if (wrapper != null) {
      new DhcpDaemon(new CommandRunner(), wrapper.toString(), "root", dir.resolve("net"), "va").stop();
    }
    for (String ns : new String[] {GUEST, NS}) {
      try {
        run("ip", "netns", "del", ns);
      } catch (Exception e) {
        // not made
      }
    }
  }

  static String config(String ip, String router) {
    return DhcpdConfig.render(List.of(new DhcpdConfig.Subnet(NET, router, "10.126.0.255", List.of("10.126.0.1"))),
        List.of(new DhcpdConfig.Host(MAC, ip)));
  }

  /** One DHCP exchange from the guest's namespace: the line udhcpc's script printed on "bound". */
  static String ask() throws Exception {
    String out = run("ip", "netns", "exec", GUEST, "/bin/busybox", "udhcpc", "-i", "vb", "-n", "-q", "-f", "-t", "5",
        "-T", "2", "-s", clientScript.toString());
    return out.lines().filter(l -> l.startsWith("BOUND")).findFirst().orElse("no lease: " + out);
  }

  /**
   * VNET_DHCPUSER is honoured: the dhcpd named by the pid file has dropped root, its real and
   * effective uids (/proc/PID/status "Uid:" real, effective, saved, filesystem) being nobody's.
   */
  static void assertRunsAsNobody(DhcpDaemon dhcpd) throws Exception {
    long pid = Long.parseLong(Files.readString(dhcpd.pidFile()).strip());
    assertTrue(dhcpd.pids().contains(pid), "the pid file names the running dhcpd: " + pid + " " + dhcpd.pids());
    String nobody = run("id", "-u", "nobody").strip();
    String uids = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
        .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
    String[] f = uids.substring("Uid:".length()).trim().split("\\s+");
    assertEquals(nobody, f[0], "real uid of dhcpd " + pid + ": " + uids);
    assertEquals(nobody, f[1], "effective uid of dhcpd " + pid + ": " + uids);
  }

  @Test
  void theGuestGetsItsFixedAddressAndARewriteChangesTheAnswer() throws Exception {
    Path net = dir.resolve("net");
    DhcpDaemon dhcpd = new DhcpDaemon(new CommandRunner(), wrapper.toString(), "nobody", net, "va");
    dhcpd.serve(config("10.126.0.5", "10.126.0.1"));
    Set<Long> first = dhcpd.pids();
    assertEquals(1, first.size(), "one dhcpd runs");
    assertRunsAsNobody(dhcpd);
    assertEquals("BOUND ip=10.126.0.5 router=10.126.0.1 mask=24 dns=10.126.0.1", ask());

    // the same configuration again: left running
    dhcpd.serve(config("10.126.0.5", "10.126.0.1"));
    assertEquals(first, dhcpd.pids());

    // rewritten and restarted: the new answer, from a new dhcpd, the old one gone
    dhcpd.serve(config("10.126.0.6", "10.126.0.254"));
    Set<Long> second = dhcpd.pids();
    assertEquals(1, second.size(), second.toString());
    assertNotEquals(first, second);
    assertTrue(ProcessHandle.of(first.iterator().next()).map(p -> !p.isAlive()).orElse(true), "the old dhcpd is gone");
    assertEquals("BOUND ip=10.126.0.6 router=10.126.0.254 mask=24 dns=10.126.0.1", ask());

    // a CC killed with -9 left its dhcpd: the next CC's DhcpDaemon finds it by its pid file and replaces it
    DhcpDaemon afterRestart = new DhcpDaemon(new CommandRunner(), wrapper.toString(), "nobody", net, "va");
    afterRestart.serve(config("10.126.0.7", "10.126.0.1"));
    Set<Long> third = afterRestart.pids();
    assertEquals(1, third.size(), third.toString());
    assertRunsAsNobody(afterRestart);
    assertNotEquals(second, third);
    assertEquals("BOUND ip=10.126.0.7 router=10.126.0.1 mask=24 dns=10.126.0.1", ask());

    // nothing to serve: none runs
    afterRestart.serve(null);
    assertTrue(afterRestart.pids().isEmpty());
    assertTrue(ProcessHandle.of(third.iterator().next()).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void aDhcpdThatCannotStartSaysWhy() throws Exception {
    // a subnet the interface has no address in: dhcpd refuses, and the reason reaches the exception
    Path net = dir.resolve("net-bad");
    DhcpDaemon dhcpd = new DhcpDaemon(new CommandRunner(), wrapper.toString(), "root", net, "va");
    String text = DhcpdConfig.render(List.of(new DhcpdConfig.Subnet(Ipv4Block.parse("10.127.0.0/24"), "10.127.0.1",
        "10.127.0.255", List.of())), List.of(new DhcpdConfig.Host(MAC, "10.127.0.5")));
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> dhcpd.serve(text));
    assertTrue(e.getMessage().contains("dhcpd did not start"), e.getMessage());
    assertTrue(e.getMessage().toLowerCase().contains("subnet"), e.getMessage());
    assertTrue(dhcpd.pids().isEmpty());
  }
}
