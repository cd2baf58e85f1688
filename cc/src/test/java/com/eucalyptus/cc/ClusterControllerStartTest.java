package com.eucalyptus.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.config.EucalyptusConf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CC whose networking configuration cannot work does not start, and says why where an administrator looks. */
class ClusterControllerStartTest {
  @TempDir
  Path home;

  @Test
  void theDaemonExitsNonZeroNamingTheKeyOnStderrAndInCcLog() throws Exception {
    Path conf = home.resolve("etc/eucalyptus/eucalyptus.conf");
    Files.createDirectories(conf.getParent());
    Files.writeString(conf, String.join("\n", List.of(
        "CC_PORT=\"" + ClusterControllerSoapTest.freePort() + "\"",
        "VNET_MODE=\"MANAGED-NOVLAN\"", "VNET_INTERFACE=\"eth0\"", "VNET_DHCPDAEMON=\"/bin/true\"",
        "VNET_SUBNET=\"10.1.0.0\"", "VNET_NETMASK=\"255.255.0.0\"", "VNET_DNS=\"10.0.0.53\"",
        "VNET_ADDRSPERNET=\"48\"", "VNET_PUBLICIPS=\"192.0.2.1\"")) + "\n");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Deuca.home=" + home, ClusterControllerMain.class.getName())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the CC should have exited");
    assertEquals(1, p.exitValue(), stderr);
    assertTrue(stderr.contains("eucalyptus-cc: eucalyptus.conf: VNET_ADDRSPERNET=\"48\" is not a power of two"), stderr);
    String log = Files.readString(home.resolve("var/log/eucalyptus/cc.log"));
    assertTrue(log.contains("FATAL") && log.contains("VNET_ADDRSPERNET=\"48\""), log);
  }

  /**
   * MANAGED over 802.1q vlans on a kernel without 8021q (our machines'; skipped where the kernel has
   * it, or where modprobe could load it, since a test must not load kernel modules): the daemon
   * exits 1 saying so and naming VNET_TRANSPORT="vxlan", on stderr and at FATAL in cc.log.
   */
  @Test
  void managedOverVlanWithout8021qStopsTheCcNamingVxlan() throws Exception {
    boolean has8021q = Files.isDirectory(Path.of("/proc/net/vlan")) || Files.isDirectory(Path.of("/sys/module/8021q"));
    boolean modprobe = Files.isExecutable(Path.of("/usr/sbin/modprobe")) || Files.isExecutable(Path.of("/sbin/modprobe"));
    org.junit.jupiter.api.Assumptions.assumeTrue(!has8021q && !modprobe, "the kernel has 8021q, or modprobe may load it");
    Path conf = home.resolve("etc/eucalyptus/eucalyptus.conf");
    Files.createDirectories(conf.getParent());
    Files.writeString(conf, String.join("\n", List.of(
        "CC_PORT=\"" + ClusterControllerSoapTest.freePort() + "\"",
        "VNET_MODE=\"MANAGED\"", "VNET_INTERFACE=\"lo\"", "VNET_DHCPDAEMON=\"/bin/true\"",
        "VNET_SUBNET=\"10.1.0.0\"", "VNET_NETMASK=\"255.255.0.0\"", "VNET_DNS=\"10.0.0.53\"",
        "VNET_ADDRSPERNET=\"32\"", "VNET_PUBLICIPS=\"192.0.2.1\"")) + "\n");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Deuca.home=" + home, ClusterControllerMain.class.getName())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the CC should have exited");
    assertEquals(1, p.exitValue(), stderr);
    assertTrue(stderr.contains("eucalyptus-cc: eucalyptus.conf: VNET_TRANSPORT=\"vlan\" needs the kernel's 802.1q vlan "
        + "support (module 8021q), which this kernel does not have"), stderr);
    assertTrue(stderr.contains("set VNET_TRANSPORT=\"vxlan\""), stderr);
    String log = Files.readString(home.resolve("var/log/eucalyptus/cc.log"));
    assertTrue(log.contains("FATAL") && log.contains("module 8021q"), log);
  }

  @Test
  void anUnknownModeNeverRunsAsSystem() {
    String m = assertThrows(BadConfigurationException.class, () -> ClusterControllerMain.start(EucaPaths.at(home),
        EucalyptusConf.of(Map.of("CC_PORT", "0", "VNET_MODE", "STATC")))).getMessage();
    assertTrue(m.contains("VNET_MODE=\"STATC\" is not a networking mode"), m);
  }
}
