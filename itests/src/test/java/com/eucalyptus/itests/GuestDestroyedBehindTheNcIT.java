package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.GuestHost;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.Shell;
import com.eucalyptus.itests.support.WalrusCloud;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.runtime.soap.WsSecurityKeys;
import com.eucalyptus.wsdl.cc.EucalyptusCCStub;
import com.eucalyptus.wsdl.cc.types.CcInstanceType;
import com.eucalyptus.wsdl.cc.types.DescribeInstances;
import com.eucalyptus.wsdl.cc.types.DescribeInstancesType;
import com.eucalyptus.wsdl.cc.types.RunInstances;
import com.eucalyptus.wsdl.cc.types.RunInstancesType;
import com.eucalyptus.wsdl.cc.types.VirtualMachineType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A guest destroyed behind the NC's back (virsh destroy) stops being reported running within one
 * poll period: the three real daemons from their init.d scripts, the project's test images
 * (tools/make-test-images) bundled, uploaded and registered, an instance run through the CC's
 * RunInstances (signed as the CLC signs it) as a real QEMU guest (plain TCG, no network), then
 * destroyed with virsh. The CC's own periodic poll (NC_POLLING_FREQUENCY) records the change
 * without being asked, and its DescribeInstances says Teardown. Skipped, saying why, where
 * libvirt cannot run QEMU (fresh-check's chroot).
 */
class GuestDestroyedBehindTheNcIT {
  static final int POLL_SECONDS = 5;
  static final String ID = "i-" + HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(), (byte) new Random().nextInt(),
      (byte) new Random().nextInt(), (byte) new Random().nextInt()}).toUpperCase();
  static CloudInstallation cloud;
  static Path work;
  static Path adminCreds;
  static String walrusUrl;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void start() throws IOException {
    // as the other guest tests: fresh-check's chroot (EUCA_SKIP_NETNS_TESTS=1) cannot start
    // domains either ("Failed disable mount propagation out of the root filesystem")
    GuestHost.skipWhereGuestsCannotRun("GuestDestroyedBehindTheNcIT");
    cloud = CloudInstallation.install("destroyed", Map.of("LOGLEVEL", "INFO", "VNET_BRIDGE", "", "SWAP_SIZE", "16",
        "NC_POLLING_FREQUENCY", String.valueOf(POLL_SECONDS)));
    // QEMU runs as libvirt-qemu: INSTANCE_PATH's parents must be traversable (docs/nc.md)
    Files.setPosixFilePermissions(cloud.home(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    cloud.startAll();
    cloud.registerClusterAndNode();
    WalrusCloud.awaitWalrus();
    work = Files.createDirectories(cloud.home().resolve("destroyed-work"));
    adminCreds = cloud.credentials("admin");
    walrusUrl = Files.readAllLines(adminCreds.resolve("eucarc")).stream().filter(l -> l.startsWith("export S3_URL="))
        .map(l -> l.substring("export S3_URL=".length()).replace("'", "").replace("\"", "").strip()).findFirst().orElseThrow();
  }

  @AfterAll
  static void stop() {
    if (cloud != null) {
      Shell.run(List.of("virsh", "-c", "qemu:///system", "destroy", ID), Map.of(), Path.of("."), Duration.ofMinutes(1));
      cloud.close();
    }
  }

  /** euca-bundle-image, euca-upload-bundle, euca-register as the admin; returns the image id. */
  static String bundleUploadRegister(Path image, String bucket, String extra) {
    String name = image.getFileName().toString();
    Path dest = work.resolve("bundle-" + name);
    String script = "set -e; . '" + adminCreds.resolve("eucarc") + "'; export EC2_USER_ID=admin; export PATH='"
        + cloud.home().resolve("usr/bin") + "':$PATH; mkdir -p '" + dest + "'; euca-bundle-image -i '" + image + "' -d '" + dest + "' "
        + extra + " >/dev/null; euca-upload-bundle -b " + bucket + " -m '" + dest.resolve(name + ".manifest.xml")
        + "' >/dev/null; euca-register " + bucket + "/" + name + ".manifest.xml";
    Shell.Result r = Shell.run(List.of("bash", "-c", script), cloud.env(), work, Duration.ofMinutes(5));
    r.assertOk();
    Matcher m = Pattern.compile("IMAGE\\t(e[mkr]i-[0-9A-F]{8})").matcher(r.stdout());
    assertTrue(m.find(), r.all());
    return m.group(1);
  }

  static EucalyptusCCStub cc() throws Exception {
    WsSecurityKeys clc = WsSecurityKeys.load(cloud.keysDir(), "cloud-pk.pem", "cloud-cert.pem", "cluster-cert.pem");
    return SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(),
        "http://127.0.0.1:" + CloudInstallation.CC_PORT + "/axis2/services/EucalyptusCC"), clc, Duration.ofSeconds(60));
  }

  /** The instance's state in the CC's DescribeInstances, or what went wrong asking. */
  static String ccState() {
    try {
      DescribeInstancesType t = new DescribeInstancesType();
      t.setCorrelationId("destroyed");
      t.setUserId("admin");
      t.addInstanceIds(ID);
      DescribeInstances r = new DescribeInstances();
      r.setDescribeInstances(t);
      CcInstanceType[] all = cc().describeInstances(r).getDescribeInstancesResponse().getInstances();
      return all == null || all.length == 0 ? "not listed" : all[0].getStateName();
    } catch (Exception e) {
      return "DescribeInstances failed: " + e.getMessage();
    }
  }

  /** The lines of a daemon's log about the instance, and its warnings, on one line. */
  static String logAbout(String file) {
    try {
      return file + ": " + String.join(" / ", Files.readAllLines(cloud.logDir().resolve(file)).stream()
          .filter(l -> l.contains(ID) || l.contains(" ERROR ") || l.contains(" WARN ")).toList());
    } catch (IOException e) {
      return "(no " + file + ": " + e.getMessage() + ")";
    }
  }

  static String diagnostics() {
    return "CC says " + ID + " is " + ccState() + " | " + logAbout("nc.log") + " | " + logAbout("cc.log") + " | virsh list --all: "
        + Shell.run(List.of("virsh", "-c", "qemu:///system", "list", "--all"), Map.of(), Path.of("."), Duration.ofMinutes(1)).all()
        .replaceAll("\\s*\\n\\s*", " / ");
  }

  static long ccLogLines(String text) throws IOException {
    return Files.readAllLines(cloud.logDir().resolve("cc.log")).stream().filter(l -> l.contains(text)).count();
  }

  @Test
  void theCcsPollSeesTheGuestEndWithinOnePollPeriod() throws Exception {
    Path images = Path.of(System.getProperty("java.io.tmpdir"), "euca-test-images");
    Path source = Path.of(System.getProperty("euca.source", "..")).toAbsolutePath().normalize();
    Shell.run(List.of(source.resolve("tools/make-test-images").toString(), images.toString()), cloud.env(), work, Duration.ofMinutes(5))
        .assertOk();
    Properties env = new Properties();
    try (var r = Files.newBufferedReader(images.resolve("images.env"))) {
      env.load(r);
    }
    String kernelId = bundleUploadRegister(images.resolve(env.getProperty("KERNEL")), "destroyed-kernels", "--kernel true -r x86_64");
    String ramdiskId = bundleUploadRegister(images.resolve(env.getProperty("RAMDISK")), "destroyed-kernels", "--ramdisk true -r x86_64");
    String rootName = env.getProperty("ROOT");
    String machineId = bundleUploadRegister(images.resolve(rootName), "destroyed-images",
        "-r x86_64 --kernel " + kernelId + " --ramdisk " + ramdiskId);

    RunInstancesType t = new RunInstancesType();
    t.setCorrelationId("destroyed");
    t.setUserId("admin");
    t.setReservationId("r-" + ID.substring(2));
    t.setImageId(machineId);
    t.setImageURL(walrusUrl + "/destroyed-images/" + rootName + ".manifest.xml");
    t.setKernelId(kernelId);
    t.setKernelURL(walrusUrl + "/destroyed-kernels/" + env.getProperty("KERNEL") + ".manifest.xml");
    t.setRamdiskId(ramdiskId);
    t.setRamdiskURL(walrusUrl + "/destroyed-kernels/" + env.getProperty("RAMDISK") + ".manifest.xml");
    VirtualMachineType vm = new VirtualMachineType();
    vm.setName("m1.small");
    vm.setMemory(128);
    vm.setCores(1);
    vm.setDisk(1);
    t.setInstanceType(vm);
    t.setMinCount(1);
    t.setMaxCount(1);
    t.addInstanceIds(ID);
    t.addMacAddresses("d0:0d:" + ID.substring(2, 4) + ":" + ID.substring(4, 6) + ":" + ID.substring(6, 8) + ":" + ID.substring(8, 10));
    t.addNetNames("default");
    t.setLaunchIndex("0");
    RunInstances run = new RunInstances();
    run.setRunInstances(t);
    assertTrue(cc().runInstances(run).getRunInstancesResponse().get_return(), diagnostics());

    long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    String state;
    while (!"Extant".equals(state = ccState())) {
      if ("Teardown".equals(state)) {
        throw new AssertionError(ID + " failed to start (Teardown) -- " + diagnostics());
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after 300 s waiting for " + ID + " Extant -- " + diagnostics());
      }
      Thread.sleep(1000);
    }
    Shell.Result listed = Shell.run(List.of("virsh", "-c", "qemu:///system", "list", "--name"), Map.of(), Path.of("."),
        Duration.ofMinutes(1));
    assertTrue(listed.stdout().lines().anyMatch(ID::equals), "a real QEMU guest runs: " + listed.all());

    // behind the NC's back
    long changesBefore = ccLogLines(ID + " on ");
    Shell.run(List.of("virsh", "-c", "qemu:///system", "destroy", ID), Map.of(), Path.of("."), Duration.ofMinutes(1)).assertOk();
    long destroyed = System.nanoTime();
    // the CC's periodic poll, unasked, records the change within one period (plus the poll's own time)
    long pollDeadline = destroyed + Duration.ofSeconds(POLL_SECONDS + 10).toNanos();
    while (ccLogLines(ID + " on ") == changesBefore && System.nanoTime() < pollDeadline) {
      Thread.sleep(200);
    }
    List<String> change = Files.readAllLines(cloud.logDir().resolve("cc.log")).stream()
        .filter(l -> l.contains("instance " + ID + " on ") && l.contains("Extant -> ")).toList();
    assertEquals(1, change.size(), "the CC's poll recorded the end by itself -- " + diagnostics());
    assertTrue(change.get(0).contains("Extant -> Teardown"), change.get(0));
    assertEquals("Teardown", ccState(), diagnostics());
    assertFalse(Files.exists(cloud.home().resolve("instances/admin/" + ID)), "the NC removed the instance's files");
  }
}
