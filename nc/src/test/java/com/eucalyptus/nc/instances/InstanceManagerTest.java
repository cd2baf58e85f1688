package com.eucalyptus.nc.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.nc.disks.DiskTools;
import com.eucalyptus.nc.disks.InstanceDiskBuilder;
import com.eucalyptus.nc.hypervisor.HypervisorType;
import com.eucalyptus.nc.hypervisor.libvirt.LibvirtHypervisor;
import com.eucalyptus.nc.images.ImageCache;
import com.eucalyptus.nc.images.WalrusImageClient;
import com.eucalyptus.nc.images.WalrusImageStandIn;
import com.eucalyptus.nc.images.WalrusRequestSigner;
import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instance life cycle on libvirt's test driver (test:///default: libvirt's own in-process
 * hypervisor, which keeps domains but runs no guest), with real disks built from a real ext4
 * image fetched from the Walrus stand-in. Real guests: GuestBootTest.
 */
class InstanceManagerTest {
  private static final CertificateAuthority.Issued NODE = CertificateAuthority.newSelfSigned("CN=node");
  @TempDir
  Path tmp;
  WalrusImageStandIn walrus;
  LibvirtHypervisor hv;
  ExecutorService pool = Executors.newFixedThreadPool(2);
  URI image;
  URI kernel;

  @BeforeEach
  void setUp() throws Exception {
    walrus = new WalrusImageStandIn(NODE.certificate());
    Path root = tmp.resolve("root.img");
    assertEquals(0, new CommandRunner().run("mke2fs", "-q", "-F", "-t", "ext4", root.toString(), "8M").exitCode());
    Path k = tmp.resolve("vmlinuz");
    Files.writeString(k, "not really a kernel: the test driver runs nothing");
    image = walrus.publish("img", "root", root);
    kernel = walrus.publish("img", "kernel", k);
    hv = LibvirtHypervisor.connect("test:///default");
  }

  @AfterEach
  void tearDown() throws Exception {
    pool.shutdownNow();
    walrus.close();
    hv.close();
  }

  InstanceManager manager(Path instances, boolean manualCleanup) throws Exception {
    ImageCache cache = new ImageCache(instances.resolve("eucalyptus/cache"), 100L << 20,
        new WalrusImageClient(new WalrusRequestSigner(NODE.keyPair().getPrivate(), NODE.certificate()), 2, Duration.ofMillis(10)));
    cache.verifyAtStart();
    InstanceSettings s = new InstanceSettings(instances, "nc:" + instances, HypervisorType.QEMU, "br-test", 4, manualCleanup,
        Duration.ofMinutes(3));
    InstanceManager m = InstanceManager.create(hv, cache, new InstanceDiskBuilder(new DiskTools(new CommandRunner())), s, pool);
    m.adopt();
    return m;
  }

  LaunchRequest request(String id) {
    return new LaunchRequest(id, "r-00000001", "admin", "emi-00000001", image, "eki-00000001", kernel, null, null, 64, 1, 1,
        "ssh-rsa AAAAtest key", "d0:0d:00:00:00:01", "d0:0d:00:00:00:01", 0, "", "0", List.of("default"));
  }

  static void awaitState(InstanceManager m, String id, InstanceState s) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (m.describe(List.of(id)).get(0).state() == s) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(id + " never became " + s + ": " + m.describe(List.of(id)));
  }

  @Test
  void runDescribeTerminateAndTheResourcesHeld() throws Exception {
    Path instances = tmp.resolve("instances");
    InstanceManager m = manager(instances, false);
    Instance i = m.run(request("i-0000AA01"));
    assertEquals(64, m.used().memoryMaxMb(), "a Pending instance holds its VM type");
    awaitState(m, "i-0000AA01", InstanceState.EXTANT);
    Path dir = instances.resolve("admin/i-0000AA01");
    assertTrue(Files.exists(dir.resolve("disk")) && Files.exists(dir.resolve("libvirt.xml")));
    assertTrue(Files.readString(dir.resolve("libvirt.xml")).contains("<source bridge='br-test'/>"));
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> m.run(request("i-0000AA01")));
    assertTrue(twice.getMessage().contains("already exists"), twice.getMessage());
    InstanceManager.Termination t = m.terminate(i.id());
    assertEquals(InstanceState.EXTANT, t.previous());
    assertEquals(InstanceState.TEARDOWN, m.describe(List.of(i.id())).get(0).state());
    assertFalse(Files.exists(dir));
    assertEquals(0, m.used().memoryMaxMb());
  }

  @Test
  void manualInstancesCleanupKeepsTheFilesAndAGuestGoneBehindTheNcsBackIsTeardown() throws Exception {
    Path instances = tmp.resolve("instances");
    InstanceManager m = manager(instances, true);
    m.run(request("i-0000BB01"));
    awaitState(m, "i-0000BB01", InstanceState.EXTANT);
    hv.destroy("i-0000BB01"); // not through the manager
    assertEquals(InstanceState.TEARDOWN, m.describe(List.of("i-0000BB01")).get(0).state());
    assertTrue(Files.exists(instances.resolve("admin/i-0000BB01/disk")), "MANUAL_INSTANCES_CLEANUP keeps the files");
  }

  @Test
  void aRestartedManagerAdoptsItsRunningGuestAndIgnoresAnotherNcs() throws Exception {
    Path mine = tmp.resolve("mine");
    InstanceManager m = manager(mine, false);
    m.run(request("i-0000CC01"));
    awaitState(m, "i-0000CC01", InstanceState.EXTANT);
    InstanceManager again = manager(mine, false);
    Instance adopted = again.describe(List.of()).get(0);
    assertEquals("i-0000CC01", adopted.id());
    assertEquals(InstanceState.EXTANT, adopted.state());
    assertEquals("ssh-rsa AAAAtest key", adopted.request().keyName());
    InstanceManager neighbour = manager(tmp.resolve("other"), false);
    assertTrue(neighbour.describe(List.of()).isEmpty());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> neighbour.run(request("i-0000CC01")));
    assertTrue(e.getMessage().contains("already runs"), e.getMessage());
    again.terminate("i-0000CC01");
  }

  @Test
  void aLaunchThatCannotGetItsImageEndsInTeardownAndBadInputIsRefused() throws Exception {
    Path instances = tmp.resolve("instances");
    InstanceManager m = manager(instances, false);
    LaunchRequest r = request("i-0000DD01");
    LaunchRequest missing = new LaunchRequest(r.instanceId(), r.reservationId(), r.userId(), r.imageId(),
        URI.create(image.toString().replace("root", "nothere")), r.kernelId(), r.kernelUrl(), null, null, 64, 1, 1, null, null, null, 0,
        null, "0", null);
    m.run(missing);
    awaitState(m, "i-0000DD01", InstanceState.TEARDOWN);
    assertTrue(m.describe(List.of("i-0000DD01")).get(0).failure().contains("404"), m.describe(List.of("i-0000DD01")).get(0).failure());
    assertFalse(Files.exists(instances.resolve("admin/i-0000DD01")));
    assertThrows(IllegalArgumentException.class, () -> m.run(new LaunchRequest("../etc", null, "admin", "emi-1", image, "eki-1", kernel,
        null, null, 64, 1, 1, null, null, null, 0, null, null, null)));
    assertThrows(IllegalArgumentException.class, () -> m.run(new LaunchRequest("i-0000DD02", null, "admin", "emi-1", image, "eki-1",
        kernel, null, null, 0, 1, 1, null, null, null, 0, null, null, null)));
  }
}
