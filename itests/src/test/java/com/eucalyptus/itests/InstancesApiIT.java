package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.Ec2Clients;
import com.eucalyptus.itests.support.GuestHost;
import com.eucalyptus.itests.support.ImageBundles;
import com.eucalyptus.itests.support.InstancesBoto;
import com.eucalyptus.itests.support.InstancesBoto.Instance;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.Shell;
import com.eucalyptus.itests.support.TestImages;
import com.eucalyptus.itests.support.VerboseZoneView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CLC's instance API end to end over the real daemons: CLC, CC and NC started by their init.d
 * scripts, the NC booting the project's test image (tools/make-test-images) through libvirt as
 * plain QEMU on a bridge this test makes (no DHCP: these checks need no guest address). Driven
 * by python3-boto with signature v2, as euca2ools. One guest: run with a run-time kernel, pending
 * → running, its console, capacity, the refusals, another user's isolation, the admin's view
 * and terminate, and the QEMU process gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstancesApiIT {
  static final String EC2 = "http://127.0.0.1:8773/services/Eucalyptus";
  static final String RUN = HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(), (byte) new Random().nextInt()});
  static final String BRIDGE = "eucinst" + RUN;
  static CloudInstallation cloud;
  static boolean bridgeMade;
  static Path adminCreds;
  static Path aliceCreds;
  static Credentials admin;
  static Credentials alice;
  static Credentials bob;
  static String kernelId;
  static String kernel2Id;
  static String ramdiskId;
  static String machineId;
  static String instanceId;
  static final List<String> launched = new ArrayList<>();

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void start() throws Exception {
    // the same conditions as the NC's GuestBootTest: no libvirt, no namespaces, or no QEMU → skipped
    GuestHost.skipWhereGuestsCannotRun("InstancesApiIT");
    TestImages images = TestImages.make();
    Shell.run(Map.of(), "ip", "link", "add", "name", BRIDGE, "type", "bridge").assertOk();
    bridgeMade = true;
    Shell.run(Map.of(), "ip", "link", "set", BRIDGE, "up").assertOk();

    // two m1.small (1 core, 128 MB) fit on this node: enough for one guest and a refused pair
    cloud = CloudInstallation.install("instances", Map.of("VNET_BRIDGE", BRIDGE, "MAX_CORES", "2", "MAX_MEM", "512",
        "SWAP_SIZE", "16", "NC_CACHE_SIZE", "500", "LOGLEVEL", "INFO"));
    try {
      // QEMU runs as libvirt-qemu: it must reach the instance folders under the temp folder
      Shell.run(Map.of(), "chmod", "755", cloud.home().toString()).assertOk();
      cloud.startAll();
      cloud.registerClusterAndNode();
      adminCreds = cloud.credentials("admin");
      admin = CloudInstallation.readEucarc(adminCreds);
      VerboseZoneView.awaitReady("cluster1", () -> VerboseZoneView.parseTabbed(
          Ec2Clients.boto(EC2, admin, "2", "zones", "verbose").assertOk().stdout()));
      cloud.eucaConf("--add-user", "alice").assertOk();
      cloud.eucaConf("--add-user", "bob").assertOk();
      aliceCreds = cloud.credentials("alice");
      alice = CloudInstallation.readEucarc(aliceCreds);
      bob = CloudInstallation.readEucarc(cloud.credentials("bob"));
      kernelId = register(adminCreds, images.kernel(), "kernels", "--kernel true -r x86_64");
      // the same kernel again, as a second eki: the one chosen at run time
      kernel2Id = register(adminCreds, images.kernel(), "kernels2", "--kernel true -r x86_64");
      ramdiskId = register(adminCreds, images.ramdisk(), "ramdisks", "--ramdisk true -r x86_64");
      boto(admin, "make-public", kernel2Id).assertOk();
      machineId = register(aliceCreds, images.root(), "alice-images",
          "-r x86_64 --kernel " + kernelId + " --ramdisk " + ramdiskId);
    } catch (Throwable t) {
      throw new AssertionError(t.getMessage() + "\n" + cloud.tailLogs(), t);
    }
  }

  @AfterAll
  static void stop() {
    if (cloud != null) {
      cloud.close();
    }
    for (String id : launched) {
      Shell.run(Map.of(), "virsh", "-c", "qemu:///system", "destroy", id); // only if the test left it running
    }
    if (bridgeMade) {
      Shell.run(Map.of(), "ip", "link", "del", BRIDGE);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Bundles (euca-bundle-image), uploads and registers with the installed tools; returns the id. */
  static String register(Path creds, Path image, String bucket, String extra) {
    return ImageBundles.bundleUploadRegister(cloud, creds, cloud.home(), image, bucket, extra);
  }

  static Shell.Result boto(Credentials c, String... args) {
    return InstancesBoto.run(EC2, c, args);
  }

  /** The EC2 error code of a refused call. */
  static String error(Credentials c, String... args) {
    return InstancesBoto.error(EC2, c, args);
  }

  /** DescribeInstances as c sees it, by instance id. */
  static Map<String, Instance> describe(Credentials c, String... ids) {
    Map<String, Instance> out = new HashMap<>();
    InstancesBoto.describe(EC2, c, ids).forEach(i -> out.put(i.id(), i));
    return out;
  }

  static String stateOf(Credentials c, String id) {
    Instance i = describe(c).get(id);
    return i == null ? null : i.state();
  }

  // ---------------------------------------------------------------- tests

  @Test
  @Order(1)
  void refusalsComeBackAsEc2Errors() {
    cloud.eucaConf("--disable-image", machineId).assertOk();
    assertEquals("InvalidAMIID.Unavailable", error(alice, "run", machineId));
    cloud.eucaConf("--enable-image", machineId).assertOk();
    assertEquals("InvalidGroup.NotFound", error(alice, "run", machineId, "group=no-such-group"));
    assertEquals("InvalidKeyPair.NotFound", error(alice, "run", machineId, "key=no-such-key"));
    assertEquals("InvalidAMIID.NotFound", error(bob, "run", machineId), "alice's image is private");
    assertTrue(describe(alice).isEmpty(), "nothing was started");
  }

  @Test
  @Order(2)
  void aGuestRunsWithTheKernelChosenAtRunTimeAndShowsItsConsole() {
    String fingerprint = boto(alice, "create-key", "alice-key").assertOk().stdout().lines().findFirst().orElse("");
    assertFalse(fingerprint.isEmpty());
    String userData = "hello from InstancesApiIT";
    List<String> run = boto(alice, "run", machineId, "key=alice-key", "kernel=" + kernel2Id, "userdata=" + userData)
        .assertOk().stdout().lines().toList();
    String[] reservation = run.get(0).split("\t");
    assertTrue(reservation[0].matches("r-[0-9A-F]{8}"), reservation[0]);
    assertEquals("alice", reservation[1]);
    instanceId = run.get(1).split("\t")[0];
    launched.add(instanceId);
    assertTrue(instanceId.matches("i-[0-9A-F]{8}"), instanceId);

    Instance f = describe(alice, instanceId).get(instanceId);
    assertTrue(f.state().equals("pending") || f.state().equals("running"), f.state());
    assertEquals(List.of("alice", reservation[0], kernel2Id, ramdiskId, "m1.small", "alice-key", "0"),
        List.of(f.owner(), f.reservation(), f.kernel(), f.ramdisk(), f.type(), f.key(), f.launchIndex()));
    assertTrue(f.launchTime().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), f.launchTime());
    assertEquals("cluster1", f.zone());
    assertEquals("default", f.groups());

    // the NC fetches the images from Walrus and starts QEMU under TCG: about a minute here
    CloudInstallation.await(Duration.ofMinutes(5), instanceId + " running",
        () -> "running".equals(stateOf(alice, instanceId)) ? Boolean.TRUE : null);
    assertFalse(GuestHost.qemuProcessesOf(instanceId).isEmpty(), "a QEMU process runs the guest");
    assertEquals("16", describe(alice, instanceId).get(instanceId).code());
    // awscli (signature v4, API 2016-11-15) reads the same
    String viaAws = Ec2Clients.aws(EC2, alice, "ec2", "describe-instances", "--instance-ids", instanceId, "--query",
        "Reservations[].Instances[].[InstanceId,State.Name,State.Code,KernelId,RamdiskId,InstanceType,"
            + "Placement.AvailabilityZone,KeyName]", "--output", "text").assertOk().stdout().trim();
    assertEquals(String.join("\t", instanceId, "running", "16", kernel2Id, ramdiskId, "m1.small", "cluster1", "alice-key"),
        viaAws);

    String console = CloudInstallation.await(Duration.ofMinutes(3), "the kernel's banner on the console", () -> {
      String out = boto(alice, "console", instanceId).assertOk().stdout();
      return out.contains("Linux version") ? out : null;
    });
    assertTrue(console.lines().findFirst().orElse("").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"),
        "timestamp first: " + console.lines().findFirst().orElse(""));
    assertEquals("True", boto(alice, "reboot", instanceId).assertOk().stdout().trim());
  }

  @Test
  @Order(3)
  void moreThanTheClusterCanHoldIsRefusedWhole() {
    // one m1.small runs; two more do not fit on a node of two cores
    assertEquals("InsufficientInstanceCapacity", error(alice, "run", machineId, "min=2", "max=2"));
    assertEquals(1, describe(alice).size(), "nothing of the refused request was started");
  }

  @Test
  @Order(4)
  void anotherUserCannotSeeOrTouchTheInstance() {
    assertTrue(describe(bob).isEmpty());
    assertEquals("InvalidInstanceID.NotFound", error(bob, "describe", instanceId));
    assertEquals("InvalidInstanceID.NotFound", error(bob, "reboot", instanceId));
    assertEquals("InvalidInstanceID.NotFound", error(bob, "terminate", instanceId));
    assertEquals("InvalidInstanceID.NotFound", error(bob, "console", instanceId));
    assertEquals("running", stateOf(alice, instanceId));
    // nor can the admin delete alice while her instance runs
    Shell.Result delete = cloud.eucaConf("--delete-user", "alice");
    assertTrue(delete.exitCode() != 0 && delete.all().contains("DependencyViolation")
        && delete.all().contains("has the instance " + instanceId), delete.all());
    assertEquals("running", stateOf(alice, instanceId));
  }

  @Test
  @Order(5)
  void theAdminSeesItAndTerminatesIt() {
    assertEquals("alice", describe(admin).get(instanceId).owner(), "the admin sees alice's instance");
    String[] t = boto(admin, "terminate", instanceId).assertOk().stdout().trim().split("\t");
    assertEquals(List.of(instanceId, "running", "shutting-down"), List.of(t));
    CloudInstallation.await(Duration.ofMinutes(2), instanceId + " terminated",
        () -> "terminated".equals(stateOf(alice, instanceId)) ? Boolean.TRUE : null);
    assertEquals("48", describe(alice, instanceId).get(instanceId).code());
    CloudInstallation.await(Duration.ofSeconds(60), "no QEMU process for " + instanceId,
        () -> GuestHost.qemuProcessesOf(instanceId).isEmpty() ? Boolean.TRUE : null);
    // terminated instances stay visible for a while (an hour by default)
    assertTrue(describe(alice).containsKey(instanceId));
  }
}
