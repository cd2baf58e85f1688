package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.Ec2Clients;
import com.eucalyptus.itests.support.GuestHost;
import com.eucalyptus.itests.support.GuestShell;
import com.eucalyptus.itests.support.InstancesBoto;
import com.eucalyptus.itests.support.InstancesBoto.Instance;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.NbdExports;
import com.eucalyptus.itests.support.Shell;
import com.eucalyptus.itests.support.SiteNetwork;
import com.eucalyptus.itests.support.TestImages;
import com.eucalyptus.itests.support.VerboseZoneView;
import com.eucalyptus.itests.support.VolumesBoto;
import com.eucalyptus.itests.support.VolumesBoto.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13's acceptance: volumes created, exported by the storage controller (the nbd backend's
 * qemu-storage-daemon per attached volume) and hot-plugged into running QEMU guests of the test
 * image. The CLC, the CC and one NC from the init.d scripts, SYSTEM networking as InstancesIT
 * builds it ({@link SiteNetwork}); the checks reach the guests with ssh from the site router's
 * namespace (the image's dropbear, a key pair made by the cloud), so they see the disks and the
 * bytes the guest's own kernel sees. Two guests, started once in the set-up and booting while the
 * API checks run, serve every check (TCG boots are slow: CI allows this test 6 minutes).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VolumesIT {
  static final String EC2 = "http://127.0.0.1:8773/services/Eucalyptus";
  static final String ZONE = "cluster1";
  static final Duration BOOT = Duration.ofMinutes(5);
  static final Duration SETTLE = Duration.ofSeconds(90);
  static final long GIB = 1024L * 1024 * 1024;
  /** The system properties of the volume limits (euca_conf --set-property). */
  static final String MAX_VOLUME_GB = "storage.max.volume.size.gb";
  static final String TOTAL_GB = "storage.max.total.volume.size.gb";
  /** The largest volume the test allows (the limit checks) and the space for all of them. */
  static final int MAX_GB = 5;
  static final int TOTAL_DEFAULT_GB = 50;
  /** Where the nbd backend keeps its sparse files (the default under $EUCALYPTUS). */
  static Path volumesDir;

  static CloudInstallation cloud;
  static SiteNetwork site;
  static Credentials admin;
  static Credentials bob;
  static Path adminCreds;
  static Path bobCreds;
  static Path work;
  static Path key;
  static String imageId;
  static final List<String> launched = new ArrayList<>();
  /** The two guests; the volume of the attach checks; where the guests hold it. */
  static String guestA;
  static String guestB;
  static GuestShell shellA;
  static GuestShell shellB;
  static String volume;
  static String diskInA;
  static String marker;
  /** Another user's volume for the isolation checks. */
  static String bobsVolume;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void setUp() throws Exception {
    GuestHost.skipWhereGuestsCannotRun("VolumesIT");
    TestImages images = TestImages.make();
    cloud = CloudInstallation.install("volumes", Map.of("MAX_CORES", "2", "MAX_MEM", "512", "NC_POLLING_FREQUENCY", "5",
        "NC_CACHE_SIZE", "400", "LOGLEVEL", "INFO"));
    try {
      // QEMU runs as libvirt-qemu: it must reach the instance folders under the install
      Files.setPosixFilePermissions(cloud.home(), PosixFilePermissions.fromString("rwxr-xr-x"));
      work = Files.createDirectories(cloud.home().resolve("volumes-work"));
      volumesDir = cloud.home().resolve("var/lib/eucalyptus/volumes");
      site = SiteNetwork.build(cloud.home().resolve("site"), InstancesIT.busyboxDeb(), CloudInstallation.CLOUD_PORT);
      cloud.setConf(site.conf());
      cloud.startAll();
      cloud.registerClusterAndNode();
      adminCreds = cloud.credentials("admin");
      admin = CloudInstallation.readEucarc(adminCreds);
      cloud.eucaConf("--add-user", "bob").assertOk();
      bobCreds = cloud.credentials("bob");
      bob = CloudInstallation.readEucarc(bobCreds);
      imageId = images.register(cloud, adminCreds, work, "vol").imageId();
      VerboseZoneView.awaitReady(ZONE, () -> VerboseZoneView.parseTabbed(
          Ec2Clients.boto(EC2, admin, "2", "zones", "verbose").assertOk().stdout()));
      cloud.eucaConf("--set-property", MAX_VOLUME_GB + "=" + MAX_GB).assertOk();
      cloud.eucaConf("--set-property", TOTAL_GB + "=" + TOTAL_DEFAULT_GB).assertOk();

      // both guests now: they boot while the API checks run
      Shell.Result k = InstancesBoto.run(EC2, admin, "create-key", "vol-key").assertOk();
      key = work.resolve("vol-key.pem");
      Files.writeString(key, k.stdout().substring(k.stdout().indexOf('\n') + 1));
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      Shell.Result run = InstancesBoto.run(EC2, admin, "run", imageId, "key=vol-key", "min=2", "max=2", "type=m1.small");
      assertEquals(0, run.exitCode(), "RunInstances: " + run.all());
      List<String> ids = run.stdout().lines().skip(1).map(l -> l.split("\t")[0]).toList();
      launched.addAll(ids);
      assertEquals(2, ids.size(), run.stdout());
      guestA = ids.get(0);
      guestB = ids.get(1);
    } catch (Throwable t) {
      throw new AssertionError("setting up the cloud failed: " + String.valueOf(t.getMessage()).replace('\n', ' ') + " |"
          + GuestHost.daemonLogTails(cloud, 15) + (site == null ? "" : " " + site.diagnostics()), t);
    }
  }

  @AfterAll
  static void tearDown() {
    if (cloud != null) {
      cloud.close();
      for (String id : launched) {
        if (GuestHost.runningDomains().contains(id)) {
          GuestHost.virsh("destroy", id);
        }
      }
      // the exports this cloud started outlive the CLC by design: end them, by pid, and only ours
      for (NbdExports.Export e : NbdExports.running()) {
        if (e.commandLine().contains(cloud.home().toString())) {
          Shell.run(Map.of(), "kill", String.valueOf(e.pid()));
        }
      }
      Shell.run(Map.of(), "rm", "-rf", "--one-file-system", cloud.home().resolve("instances").toString());
    }
    if (site != null) {
      site.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  static Shell.Result boto(Credentials c, String... args) {
    return VolumesBoto.run(EC2, c, args);
  }

  static Shell.Result aws(Credentials c, String... args) {
    return Ec2Clients.aws(EC2, c, args);
  }

  static final Pattern AWS_ERROR = Pattern.compile("An error occurred \\(([^)]+)\\)");

  /** The EC2 error code awscli printed for a call that must be refused. */
  static String awsError(Credentials c, String... args) {
    Shell.Result r = aws(c, args);
    assertNotEquals(0, r.exitCode(), "expected an EC2 error from aws " + List.of(args) + ": " + r.all());
    Matcher m = AWS_ERROR.matcher(r.stderr());
    assertTrue(m.find(), "awscli printed no EC2 error code for " + List.of(args) + ": " + r.all());
    return m.group(1);
  }

  /** Asserts that python3-boto (v2) and awscli (v4) both get {@code code} (one of {@code codes}). */
  static void refusedByBoth(Credentials c, Set<String> codes, List<String> botoArgs, List<String> awsArgs) {
    String b = VolumesBoto.error(EC2, c, botoArgs.toArray(String[]::new));
    assertTrue(codes.contains(b), "boto " + botoArgs + " got " + b + ", expected one of " + codes);
    String a = awsError(c, awsArgs.toArray(String[]::new));
    assertTrue(codes.contains(a), "aws " + awsArgs + " got " + a + ", expected one of " + codes);
  }

  static Volume describe(Credentials c, String id) {
    return VolumesBoto.describe(EC2, c).stream().filter(v -> v.id().equals(id)).findFirst().orElse(null);
  }

  static Volume awaitVolume(String id, String what, java.util.function.Predicate<Volume> ok) {
    return await(SETTLE, id + " " + what, () -> {
      Volume v = describe(admin, id);
      return v != null && ok.test(v) ? v : null;
    });
  }

  static Volume awaitStatus(String id, String status) {
    return awaitVolume(id, status, v -> v.status().equals(status));
  }

  static <T> T await(Duration limit, String what, Supplier<T> check) {
    return CloudInstallation.await(limit, Duration.ofSeconds(1), what, VolumesIT::diag, check);
  }

  static String diag() {
    StringBuilder sb = new StringBuilder(" | volumes=");
    try {
      sb.append(boto(admin, "describe").all().strip().replace('\n', ';'));
      sb.append(" | exports=").append(NbdExports.running().stream().map(e -> e.pid() + ":" + e.host() + ":" + e.port()
          + "/" + e.name()).toList());
      sb.append(" | volumes dir=").append(listing(volumesDir));
      sb.append(" |").append(GuestHost.daemonLogTails(cloud, 8));
    } catch (RuntimeException | AssertionError e) {
      sb.append(" (diagnostics failed: ").append(e.getMessage()).append(")");
    }
    return sb.toString().replace('\n', ' ');
  }

  static String listing(Path dir) {
    if (!Files.isDirectory(dir)) {
      return "(none)";
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName() + "=" + p.toFile().length()).sorted().toList().toString();
    } catch (IOException e) {
      return "(" + e.getMessage() + ")";
    }
  }

  /** The guest's address once DescribeInstances shows it running with one, then a shell on it once ssh lets us in. */
  static GuestShell shellOn(String id) {
    Instance row = await(BOOT, id + " running with an address", () -> {
      Instance i = InstancesBoto.describe(EC2, admin, id).stream().findFirst().orElse(null);
      return i != null && i.state().equals("running") && i.privateIp() != null && i.privateIp().startsWith(site.guestNet)
          ? i : null;
    });
    GuestShell shell = new GuestShell(site.namespace, key, row.privateIp());
    shell.awaitOk("true", BOOT, "ssh into " + id);
    return shell;
  }

  /** Attaches through boto and waits until the volume is in-use and the guest sees one more disk; returns its name. */
  static String attachAndFind(String vol, String instance, GuestShell shell, String device) {
    List<String> before = shell.blockDevices();
    Shell.Result r = boto(admin, "attach", vol, instance, device);
    assertEquals(0, r.exitCode(), "AttachVolume: " + r.all() + diag());
    Volume v = awaitVolume(vol, "attached to " + instance, x -> x.status().equals("in-use") && x.attachStatus().equals("attached"));
    assertEquals(instance, v.instance());
    assertEquals(device, v.device(), "DescribeVolumes shows the device asked for");
    List<String> found = await(SETTLE, "a new disk in " + instance + "'s /sys/block (before: " + before + ")", () -> {
      List<String> now = new ArrayList<>(shell.blockDevices());
      now.removeAll(before);
      return now.isEmpty() ? null : now;
    });
    assertEquals(1, found.size(), "exactly one new disk: " + found);
    // the node gives the disk the volume id as its virtio serial
    assertEquals(vol, shell.awaitOk("cat /sys/block/" + found.get(0) + "/serial", Duration.ofSeconds(30), "the serial")
        .strip(), "the new disk is " + vol);
    return found.get(0);
  }

  static void detachAndGone(String vol, String instance, GuestShell shell, String disk) {
    Shell.Result r = boto(admin, "detach", vol, instance);
    assertEquals(0, r.exitCode(), "DetachVolume: " + r.all() + diag());
    awaitVolume(vol, "available again", x -> x.status().equals("available") && x.instance().isEmpty());
    await(SETTLE, disk + " gone from " + instance + "'s /sys/block", () -> shell.blockDevices().contains(disk) ? null : true);
    await(SETTLE, "the export of " + vol + " to end", () -> NbdExports.of(vol) == null ? true : null);
  }

  static String random() {
    return HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(), (byte) new Random().nextInt(),
        (byte) new Random().nextInt(), (byte) new Random().nextInt()});
  }

  /** kill -9 of a daemon's JVM, then waits until the process is gone. */
  static void kill9(String pidFile) {
    long pid = cloud.pid(pidFile);
    Shell.run(Map.of(), "kill", "-9", String.valueOf(pid)).assertOk();
    await(Duration.ofSeconds(30), "pid " + pid + " (" + pidFile + ") gone",
        () -> Files.exists(Path.of("/proc/" + pid)) ? null : Boolean.TRUE);
  }

  /**
   * kill -9 of the CLC the moment {@code now} holds (polled every {@code every}, a minute at
   * most): the moment must be caught, not a second later, so this is a tight loop of its own.
   */
  static void killClcWhen(Supplier<Boolean> now, Duration every, String what) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!now.get()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what + diag());
      }
      Thread.sleep(every.toMillis());
    }
    long pid = cloud.pid("eucalyptus-cloud.pid");
    Shell.run(Map.of(), "kill", "-9", String.valueOf(pid)).assertOk();
    await(Duration.ofSeconds(30), "the CLC (pid " + pid + ") gone", () -> Files.exists(Path.of("/proc/" + pid)) ? null : true);
  }

  /** What {@code log} got after its first {@code offset} bytes. */
  static String logSince(Path log, long offset) {
    try (var ch = java.nio.channels.FileChannel.open(log)) {
      long size = ch.size();
      if (size <= offset) {
        return "";
      }
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(size - offset, 1 << 20));
      ch.read(buf, offset);
      return new String(buf.array(), 0, buf.position(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The CLC's log lines about volumes it found half-way at its start. */
  static List<String> recoveryLines() {
    try {
      return Files.readAllLines(cloud.logDir().resolve("cloud-output.log")).stream()
          .filter(l -> l.contains("VolumeManager") && l.contains("when the CLC stopped")).toList();
    } catch (IOException e) {
      return List.of("(" + e.getMessage() + ")");
    }
  }

  static void awaitApi() {
    // DescribeAvailabilityZones: the volume actions may be off (DISABLE_EBS)
    await(Duration.ofSeconds(120), "the CLC's API after its restart",
        () -> Ec2Clients.boto(EC2, admin, "2", "zones").exitCode() == 0 ? true : null);
  }

  /** The volume's file in the backend's folder (its name holds the id), or null. */
  static Path fileOf(String id) {
    if (!Files.isDirectory(volumesDir)) {
      return null;
    }
    try (Stream<Path> s = Files.walk(volumesDir)) {
      return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(id)).findFirst().orElse(null);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static int counted(List<Volume> vols) {
    return vols.stream().filter(v -> !Set.of("failed", "deleted", "deleting").contains(v.status())).mapToInt(Volume::sizeGb)
        .sum();
  }

  // ---------------------------------------------------------------- checks

  @Test
  @Order(1)
  void badSizesZonesAndUnknownVolumesAreRefusedThroughBotoAndAwscli() {
    Set<String> badSize = Set.of("InvalidParameterValue");
    refusedByBoth(admin, badSize, List.of("create", "0", ZONE),
        List.of("ec2", "create-volume", "--size", "0", "--availability-zone", ZONE));
    refusedByBoth(admin, badSize, List.of("create", "-1", ZONE),
        List.of("ec2", "create-volume", "--size=-1", "--availability-zone", ZONE));
    // above the largest volume the property allows
    refusedByBoth(admin, badSize, List.of("create", String.valueOf(MAX_GB + 1),
        ZONE), List.of("ec2", "create-volume", "--size", String.valueOf(MAX_GB + 1), "--availability-zone", ZONE));
    refusedByBoth(admin, badSize, List.of("create", "1", "no-such-zone"),
        List.of("ec2", "create-volume", "--size", "1", "--availability-zone", "no-such-zone"));
    // not enough space left: the total lowered below one more volume
    String first = VolumesBoto.create(EC2, admin, 2, ZONE);
    awaitStatus(first, "available");
    cloud.eucaConf("--set-property", TOTAL_GB + "=3").assertOk();
    try {
      refusedByBoth(admin, Set.of("VolumeLimitExceeded"), List.of("create", "2", ZONE),
          List.of("ec2", "create-volume", "--size", "2", "--availability-zone", ZONE));
      // what still fits is made
      String fits = VolumesBoto.create(EC2, admin, 1, ZONE);
      awaitStatus(fits, "available");
      boto(admin, "delete", fits).assertOk();
    } finally {
      cloud.eucaConf("--set-property", TOTAL_GB + "=" + TOTAL_DEFAULT_GB).assertOk();
    }
    boto(admin, "delete", first).assertOk();
    // a volume no one has
    String unknown = "vol-0BADF00D";
    Set<String> notFound = Set.of("InvalidVolume.NotFound");
    refusedByBoth(admin, notFound, List.of("describe", unknown), List.of("ec2", "describe-volumes", "--volume-ids", unknown));
    refusedByBoth(admin, notFound, List.of("delete", unknown), List.of("ec2", "delete-volume", "--volume-id", unknown));
    refusedByBoth(admin, notFound, List.of("attach", unknown, guestA, "/dev/sdb"),
        List.of("ec2", "attach-volume", "--volume-id", unknown, "--instance-id", guestA, "--device", "/dev/sdb"));
    refusedByBoth(admin, notFound, List.of("detach", unknown), List.of("ec2", "detach-volume", "--volume-id", unknown));
  }

  @Test
  @Order(2)
  void aSecondUserCannotSeeAttachOrDeleteTheFirstUsersVolumes() {
    bobsVolume = VolumesBoto.create(EC2, bob, 1, ZONE);
    volume = VolumesBoto.create(EC2, admin, 1, ZONE);
    Volume v = awaitStatus(volume, "available");
    assertEquals(1, v.sizeGb());
    assertEquals(ZONE, v.zone());
    // awscli shows the same volume
    assertEquals(volume + "\t1\tavailable\t" + ZONE, aws(admin, "ec2", "describe-volumes", "--volume-ids", volume, "--query",
        "Volumes[0].[VolumeId,Size,State,AvailabilityZone]", "--output", "text").assertOk().stdout().strip());
    // bob: his own volume only, the admin's is not found whatever he does with it
    List<String> bobSees = VolumesBoto.describe(EC2, bob).stream().map(Volume::id).toList();
    assertEquals(List.of(bobsVolume), bobSees, "bob lists his own volume only");
    assertNotNull(describe(admin, bobsVolume), "the administrator sees every user's volumes");
    assertEquals(bobsVolume, aws(bob, "ec2", "describe-volumes", "--query", "Volumes[].VolumeId", "--output", "text")
        .assertOk().stdout().strip());
    Set<String> notFound = Set.of("InvalidVolume.NotFound");
    refusedByBoth(bob, notFound, List.of("describe", volume), List.of("ec2", "describe-volumes", "--volume-ids", volume));
    refusedByBoth(bob, notFound, List.of("delete", volume), List.of("ec2", "delete-volume", "--volume-id", volume));
    // (bob's attach of it to his own instance would meet the same lookup first; he has none to spare here)
    refusedByBoth(bob, Set.of("InvalidVolume.NotFound", "InvalidInstanceID.NotFound"), List.of("attach", volume, guestA,
        "/dev/sdb"), List.of("ec2", "attach-volume", "--volume-id", volume, "--instance-id", guestA, "--device", "/dev/sdb"));
    assertEquals("available", describe(admin, volume).status(), "the admin's volume untouched");
  }

  @Test
  @Order(3)
  void theTwoGuestsRunAndLetUsInWithTheirLocalDisksOnly() {
    shellA = shellOn(guestA);
    shellB = shellOn(guestB);
    // the NC's kvm/qemu layout: root as vda, then ephemeral and swap when the type's disk has room; both alike
    List<String> a = shellA.blockDevices().stream().filter(d -> d.startsWith("vd")).toList();
    assertTrue(a.contains("vda"), a.toString());
    assertEquals(a, shellB.blockDevices().stream().filter(d -> d.startsWith("vd")).toList());
  }

  @Test
  @Order(4)
  void aOneGigabyteVolumeAttachedToARunningGuestIsANewDiskThatKeepsAMarker() {
    Assumptions.assumeTrue(volume != null && shellA != null && shellB != null,
        "needs the volume of the isolation check and the guests");
    long t0 = System.nanoTime();
    diskInA = attachAndFind(volume, guestA, shellA, "/dev/sdb");
    System.out.println("VolumesIT: attach to a disk in the guest took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    assertEquals(GIB, shellA.sizeBytes(diskInA), "the new disk is the 1 GB volume");
    // the volume is exported by a qemu-storage-daemon of its own
    assertNotNull(NbdExports.of(volume), "a qemu-storage-daemon serves " + volume + diag());
    marker = "EUCAVOLMARKER" + random();
    shellA.writeSector(diskInA, 0, marker);
    assertEquals(marker, shellA.readSector(diskInA, 0));

    // refusals that need it attached: attached twice, in use elsewhere, deleted while in use
    Set<String> inUse = Set.of("VolumeInUse");
    refusedByBoth(admin, inUse, List.of("attach", volume, guestA, "/dev/sdc"),
        List.of("ec2", "attach-volume", "--volume-id", volume, "--instance-id", guestA, "--device", "/dev/sdc"));
    refusedByBoth(admin, inUse, List.of("attach", volume, guestB, "/dev/sdb"),
        List.of("ec2", "attach-volume", "--volume-id", volume, "--instance-id", guestB, "--device", "/dev/sdb"));
    refusedByBoth(admin, inUse, List.of("delete", volume), List.of("ec2", "delete-volume", "--volume-id", volume));
    refusedByBoth(bob, Set.of("InvalidVolume.NotFound"), List.of("detach", volume),
        List.of("ec2", "detach-volume", "--volume-id", volume));
    assertEquals(marker, shellA.readSector(diskInA, 0), "the refusals changed nothing");
    // awscli's view of the attachment
    assertEquals(guestA + "\t/dev/sdb\tattached", aws(admin, "ec2", "describe-volumes", "--volume-ids", volume, "--query",
        "Volumes[0].Attachments[0].[InstanceId,Device,State]", "--output", "text").assertOk().stdout().strip());
  }

  /** The user's own certificate file in an unpacked credentials zip (not cloud-cert.pem). */
  static String userCertOf(Path creds) throws IOException {
    try (Stream<Path> s = Files.list(creds)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-cert.pem") && !n.equals("cloud-cert.pem"))
          .findFirst().orElseThrow();
    }
  }

  /** The user's private key file in an unpacked credentials zip. */
  static String userKeyOf(Path creds) throws IOException {
    try (Stream<Path> s = Files.list(creds)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-pk.pem")).findFirst().orElseThrow();
    }
  }

  @Test
  @Order(5)
  void aRawNbdClientFromOutsideTheAttachmentGetsNothing() throws IOException {
    Assumptions.assumeTrue(diskInA != null, "needs the attached volume");
    NbdExports.Export e = NbdExports.of(volume);
    assertNotNull(e, diag());
    assertTrue(e.port() > 0 && e.host() != null && e.name() != null, "host, port and export on the command line: " + e);
    // no TLS at all
    Shell.Result plain = NbdExports.readPlain(e);
    assertNotEquals(0, plain.exitCode(), "plain NBD must be refused: " + plain.all());
    assertFalse(NbdExports.asciiOf(plain).contains(marker), plain.all());
    // TLS with a user's certificate from the credentials zip (signed by the cloud's CA)
    Path caCert = adminCreds.resolve("cloud-cert.pem");
    for (Path creds : List.of(adminCreds, bobCreds)) {
      Path cert = creds.resolve(userCertOf(creds));
      Path pk = creds.resolve(userKeyOf(creds));
      Shell.Result user = NbdExports.readWithTls(e, caCert, cert, pk, work);
      assertNotEquals(0, user.exitCode(), "a user's certificate must be refused (" + cert + "): " + user.all());
      assertFalse(NbdExports.asciiOf(user).contains(marker), user.all());
    }
    // another host (the site router's namespace, which reaches the export's address): refused
    // without TLS and with a user's certificate alike
    Shell.Result otherHost = NbdExports.readPlainFrom(site.namespace, e);
    assertNotEquals(0, otherHost.exitCode(), "plain NBD from another host must be refused: " + otherHost.all());
    assertFalse(NbdExports.asciiOf(otherHost).contains(marker), otherHost.all());
    assertFalse(otherHost.all().contains("Connection refused") || otherHost.all().contains("No route"),
        "the other host must reach the export for its refusal to mean anything: " + otherHost.all());
    Shell.Result otherHostUser = NbdExports.readWithTlsFrom(site.namespace, e, caCert,
        adminCreds.resolve(userCertOf(adminCreds)), adminCreds.resolve(userKeyOf(adminCreds)), work);
    assertNotEquals(0, otherHostUser.exitCode(), "a user's certificate from another host must be refused: "
        + otherHostUser.all());
    // the same client with the node's certificate reads the marker: the refusals above are the
    // export's doing, not a broken client
    Shell.Result node = NbdExports.readWithTls(e, cloud.keysDir().resolve("cloud-cert.pem"),
        cloud.keysDir().resolve("node-cert.pem"), cloud.keysDir().resolve("node-pk.pem"), work);
    assertEquals(0, node.exitCode(), "the node's certificate is let in: " + node.all());
    assertTrue(NbdExports.asciiOf(node).contains(marker), "the node reads the marker: " + node.all());
    assertEquals(marker, shellA.readSector(diskInA, 0));
  }

  @Test
  @Order(6)
  void theGuestsIoGoesOnThroughKill9OfTheClcAndTheAttachmentSurvivesCcNcAndClcRestarts() {
    Assumptions.assumeTrue(diskInA != null, "needs the attached volume");
    long exportPid = NbdExports.of(volume).pid();
    // a loop in the guest: a numbered line into sector 16 of the volume and /tmp/ticks, every second
    shellA.awaitOk("rm -f /tmp/stop /tmp/ticks; setsid sh -c 'i=0; while [ ! -e /tmp/stop ]; do i=$((i+1));"
        + " printf \"tick%d\\n\" $i > /tmp/tick; dd if=/tmp/tick of=/dev/" + diskInA + " bs=512 seek=16 count=1 conv=sync"
        + " 2>/dev/null && sync && echo $i > /tmp/ticks; sleep 1; done' </dev/null >/dev/null 2>&1 &", Duration.ofSeconds(30),
        "starting the write loop");
    Supplier<Integer> ticks = () -> Integer.parseInt(shellA.awaitOk("cat /tmp/ticks", Duration.ofSeconds(30), "ticks").strip());
    int before = await(Duration.ofSeconds(30), "the write loop to tick", () -> {
      try {
        int t = ticks.get();
        return t >= 2 ? t : null;
      } catch (NumberFormatException | AssertionError e) {
        return null;
      }
    });
    kill9("eucalyptus-cloud.pid");
    // with the CLC gone, the guest still writes to the volume
    int whileDown = await(Duration.ofSeconds(30), "the guest's writes to go on with the CLC dead", () -> {
      int t = ticks.get();
      return t >= before + 5 ? t : null;
    });
    assertEquals(exportPid, NbdExports.of(volume).pid(), "the export's daemon outlives the CLC");
    cloud.start("cloud");
    awaitApi();
    Volume v = awaitVolume(volume, "still attached after the CLC's restart", x -> x.status().equals("in-use")
        && x.instance().equals(guestA) && x.attachStatus().equals("attached"));
    assertEquals("/dev/sdb", v.device());
    // the CC, then the NC
    kill9("eucalyptus-cc.pid");
    cloud.start("cc");
    kill9("eucalyptus-nc.pid");
    cloud.start("nc");
    await(Duration.ofSeconds(90), guestA + " running after the CC's and the NC's restarts", () -> {
      Instance i = InstancesBoto.describe(EC2, admin, guestA).stream().findFirst().orElse(null);
      return i != null && i.state().equals("running") ? i : null;
    });
    v = awaitVolume(volume, "still attached after the CC's and the NC's restarts", x -> x.status().equals("in-use")
        && x.instance().equals(guestA) && x.attachStatus().equals("attached"));
    int after = await(Duration.ofSeconds(30), "the guest's writes to go on after the restarts", () -> {
      int t = ticks.get();
      return t >= whileDown + 3 ? t : null;
    });
    shellA.awaitOk("touch /tmp/stop; sleep 2", Duration.ofSeconds(30), "stopping the write loop");
    int last = ticks.get();
    assertTrue(last >= after, last + " < " + after);
    assertEquals("tick" + last, shellA.readSector(diskInA, 16), "the last write is on the volume");
    assertEquals(marker, shellA.readSector(diskInA, 0));
    assertEquals(exportPid, NbdExports.of(volume).pid(), "one export throughout");
  }

  @Test
  @Order(7)
  void detachedTheVolumeMovesToTheSecondGuestWithItsMarker() {
    Assumptions.assumeTrue(diskInA != null && shellB != null, "needs the attached volume and the second guest");
    detachAndGone(volume, guestA, shellA, diskInA);
    String diskInB = attachAndFind(volume, guestB, shellB, "/dev/sdc");
    assertEquals(GIB, shellB.sizeBytes(diskInB));
    assertEquals(marker, shellB.readSector(diskInB, 0), "the marker A wrote, read in B");
    detachAndGone(volume, guestB, shellB, diskInB);
    diskInA = null;
  }

  @Test
  @Order(8)
  void kill9OfTheClcDuringCreateVolumeAndAttachVolumeLeavesEveryVolumeWholeOrFailedAndTheSpaceAccounted()
      throws Exception {
    Assumptions.assumeTrue(shellA != null, "needs the first guest");
    List<String> known = VolumesBoto.describe(EC2, admin).stream().map(Volume::id).toList();
    // CreateVolume: three at once, and the CLC dies the moment its log says the first is being
    // made (the record is written, the file not yet), or a file appears, or a call is answered
    Path log = cloud.logDir().resolve("cloud-output.log");
    long offset = Files.size(log);
    List<Process> creates = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      creates.add(new ProcessBuilder("/usr/bin/python3", Ec2Clients.script("volumes_boto.py").toString(), EC2,
          admin.accessKey(), admin.secretKey(), "create", "1", ZONE).redirectErrorStream(true).start());
    }
    String beforeFiles = listing(volumesDir);
    killClcWhen(() -> logSince(log, offset).contains(" GB in " + ZONE + ", creating") || !listing(volumesDir).equals(beforeFiles)
        || creates.stream().anyMatch(p -> !p.isAlive()), Duration.ofMillis(1), "CreateVolume to start, reach the backend or answer");
    StringBuilder said = new StringBuilder();
    for (Process p : creates) {
      p.waitFor();
      // the answer, or the last line of the client's traceback (boto retries a cut connection once)
      said.append(new String(p.getInputStream().readAllBytes()).strip().lines().reduce((a, b) -> b).orElse("")).append(" / ");
    }
    System.out.println("VolumesIT: the CreateVolume calls answered before the kill -9: " + said + "files "
        + listing(volumesDir));
    cloud.start("cloud");
    awaitApi();

    // AttachVolume: the CLC dies as soon as the volume's export runs
    String vol = VolumesBoto.create(EC2, admin, 1, ZONE);
    awaitStatus(vol, "available");
    List<String> disksBefore = shellA.blockDevices();
    Process attach = new ProcessBuilder("/usr/bin/python3", Ec2Clients.script("volumes_boto.py").toString(), EC2,
        admin.accessKey(), admin.secretKey(), "attach", vol, guestA, "/dev/sdd").redirectErrorStream(true).start();
    killClcWhen(() -> NbdExports.of(vol) != null || !attach.isAlive(), Duration.ofMillis(20),
        "AttachVolume's export to start or the call to answer");
    attach.waitFor();
    System.out.println("VolumesIT: AttachVolume answered before the kill -9: "
        + new String(attach.getInputStream().readAllBytes()).strip().lines().reduce((a, b) -> b).orElse(""));
    cloud.start("cloud");
    awaitApi();

    // where the kills landed, as the restarted CLC's recovery saw it (timing decides; the checks below hold for any)
    System.out.println("VolumesIT: the recovery after the kills: " + recoveryLines());

    // settled: nothing creating or attaching; each volume whole (its file of its size) or failed/deleted
    List<Volume> all = await(SETTLE, "every volume settled after the restarts", () -> {
      List<Volume> vs = VolumesBoto.describe(EC2, admin);
      boolean busy = vs.stream().anyMatch(x -> Set.of("creating", "deleting").contains(x.status())
          || Set.of("attaching", "detaching").contains(x.attachStatus()));
      return busy ? null : vs;
    });
    for (Volume x : all) {
      assertTrue(Set.of("available", "in-use", "failed", "deleted").contains(x.status()), x.toString());
      if (Set.of("available", "in-use").contains(x.status())) {
        Path f = fileOf(x.id());
        assertNotNull(f, x.id() + " is " + x.status() + " and has no file: " + listing(volumesDir));
        assertEquals(x.sizeGb() * GIB, Files.size(f), x.id() + "'s file is whole");
      }
    }
    List<String> made = all.stream().map(Volume::id).filter(id -> !known.contains(id) && !id.equals(vol)).toList();
    assertTrue(made.size() <= 3, "three CreateVolume calls made at most three volumes: " + all);
    // the attached volume is where DescribeVolumes says it is
    Volume a = all.stream().filter(x -> x.id().equals(vol)).findFirst().orElseThrow();
    if (a.status().equals("in-use")) {
      assertEquals(guestA, a.instance());
      List<String> now = new ArrayList<>(shellA.blockDevices());
      now.removeAll(disksBefore);
      assertEquals(1, now.size(), "in-use: the guest has the disk: " + now);
      detachAndGone(vol, guestA, shellA, now.get(0));
    } else {
      assertEquals("available", a.status(), a.toString());
      await(SETTLE, "no export of the available " + vol, () -> NbdExports.of(vol) == null ? true : null);
      await(SETTLE, "no new disk in " + guestA, () -> shellA.blockDevices().equals(disksBefore) ? true : null);
    }
    // the space: exactly what the whole volumes hold is counted (the administrator lists every user's)
    int used = counted(VolumesBoto.describe(EC2, admin));
    cloud.eucaConf("--set-property", TOTAL_GB + "=" + (used + 1)).assertOk();
    try {
      String last = VolumesBoto.create(EC2, admin, 1, ZONE);
      awaitStatus(last, "available");
      String code = VolumesBoto.error(EC2, admin, "create", "1", ZONE);
      assertEquals("VolumeLimitExceeded", code);
      boto(admin, "delete", last).assertOk();
    } finally {
      cloud.eucaConf("--set-property", TOTAL_GB + "=" + TOTAL_DEFAULT_GB).assertOk();
    }
  }

  @Test
  @Order(9)
  void aDeletedVolumeCannotBeAttachedAndAVolumeOfAnotherZoneIsRefused() {
    String gone = VolumesBoto.create(EC2, admin, 1, ZONE);
    awaitStatus(gone, "available");
    boto(admin, "delete", gone).assertOk();
    Set<String> deleted = Set.of("InvalidVolume.NotFound");
    refusedByBoth(admin, deleted, List.of("attach", gone, guestA, "/dev/sde"),
        List.of("ec2", "attach-volume", "--volume-id", gone, "--instance-id", guestA, "--device", "/dev/sde"));
    // a second zone: a cluster registered where no CC answers (the site router's address)
    cloud.eucaConf("--addcluster", "cluster2", site.guestNet + "1").assertOk();
    String other = VolumesBoto.create(EC2, admin, 1, "cluster2");
    assertEquals("cluster2", awaitStatus(other, "available").zone());
    refusedByBoth(admin, Set.of("InvalidVolume.ZoneMismatch"), List.of("attach", other, guestA, "/dev/sde"),
        List.of("ec2", "attach-volume", "--volume-id", other, "--instance-id", guestA, "--device", "/dev/sde"));
    boto(admin, "delete", other).assertOk();
  }

  @Test
  @Order(10)
  void terminatingAGuestDetachesItsVolume() {
    Assumptions.assumeTrue(shellB != null, "needs the second guest");
    attachAndFind(volume, guestB, shellB, "/dev/sdb");
    InstancesBoto.run(EC2, admin, "terminate", guestB).assertOk();
    awaitVolume(volume, "available after its guest's termination", x -> x.status().equals("available"));
    await(SETTLE, "the export of " + volume + " to end", () -> NbdExports.of(volume) == null ? true : null);
  }

  @Test
  @Order(11)
  void withDisableEbsTheVolumeActionsSaySo() {
    cloud.stop("cloud");
    cloud.setConf(Map.of("DISABLE_EBS", "Y"));
    try {
      cloud.start("cloud");
      awaitApi();
      Shell.Result b = boto(admin, "create", "1", ZONE);
      assertEquals(3, b.exitCode(), b.all());
      assertEquals("UnsupportedOperation", b.stdout().split("\t")[1], b.all());
      assertTrue(b.stdout().toLowerCase().contains("ebs") || b.stdout().toLowerCase().contains("storage"),
          "the refusal says block storage is off: " + b.all());
      Shell.Result a = aws(admin, "ec2", "create-volume", "--size", "1", "--availability-zone", ZONE);
      assertNotEquals(0, a.exitCode(), a.all());
      assertTrue(a.stderr().contains("(UnsupportedOperation)"), a.all());
      assertTrue(a.stderr().toLowerCase().contains("ebs") || a.stderr().toLowerCase().contains("storage"), a.all());
    } finally {
      cloud.stop("cloud");
      cloud.setConf(Map.of("DISABLE_EBS", "N"));
    }
  }
}
