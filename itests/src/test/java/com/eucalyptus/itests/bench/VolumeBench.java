package com.eucalyptus.itests.bench;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.Ec2Clients;
import com.eucalyptus.itests.support.GuestHost;
import com.eucalyptus.itests.support.GuestShell;
import com.eucalyptus.itests.support.InstancesBoto;
import com.eucalyptus.itests.support.InstancesBoto.Instance;
import com.eucalyptus.itests.support.Shell;
import com.eucalyptus.itests.support.SiteNetwork;
import com.eucalyptus.itests.support.TestImages;
import com.eucalyptus.itests.support.VerboseZoneView;
import com.eucalyptus.itests.support.VolumesBoto;
import com.eucalyptus.itests.support.VolumesBoto.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a volume costs: the time to create a 1 GB volume (CreateVolume sent until DescribeVolumes
 * shows it available) and to attach it to a running guest (AttachVolume sent until DescribeVolumes
 * shows it attached, and until the guest's /sys/block has the new disk), then the guest's
 * sequential write and read throughput on the volume (the nbd backend: qemu-storage-daemon over
 * NBD with TLS on this host) beside the same on a local disk of the instance (its swap disk, a
 * file in the instance folder like its root disk, which the test image never uses, so it can be
 * overwritten; the root disk itself holds only the 32 MB root file system). The cloud is the one
 * LaunchTimeBench builds (CLC, CC and NC from the init.d scripts, SYSTEM networking through
 * {@link SiteNetwork}); the guest is reached with ssh from the site router's namespace. Each
 * throughput is busybox dd in the guest (bs=1M; writes end with sync, reads start with the
 * page cache dropped), timed by the guest's /proc/uptime. Run by bench/volumes.
 */
public final class VolumeBench {
  private static final String EC2 = "http://127.0.0.1:" + CloudInstallation.CLOUD_PORT + "/services/Eucalyptus";
  private static final String ZONE = "cluster1";
  private static final Duration LIMIT = Duration.ofMinutes(5);

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int mb = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    String noGuests = GuestHost.whyQemuCannotRun();
    if (noGuests != null) {
      throw new IllegalStateException(noGuests);
    }
    TestImages images = TestImages.make();
    SiteNetwork site = null;
    String guest = null;
    try (CloudInstallation cloud = CloudInstallation.install("bench-volumes", Map.of("LOGLEVEL", "INFO",
        "NC_CACHE_SIZE", "400"))) {
      Files.setPosixFilePermissions(cloud.home(), PosixFilePermissions.fromString("rwxr-xr-x"));
      Path work = Files.createDirectories(cloud.home().resolve("bench-work"));
      SiteNetwork net = SiteNetwork.build(cloud.home().resolve("site"), LaunchTimeBench.busyboxDeb(),
          CloudInstallation.CLOUD_PORT);
      site = net;
      cloud.setConf(net.conf());
      cloud.startAll();
      cloud.registerClusterAndNode();
      Path creds = cloud.credentials("admin");
      Credentials admin = CloudInstallation.readEucarc(creds);
      VerboseZoneView.awaitReady(ZONE, () -> VerboseZoneView.parseTabbed(
          Ec2Clients.boto(EC2, admin, "2", "zones", "verbose").assertOk().stdout()));
      String imageId = images.register(cloud, creds, work, "bench").imageId();
      Shell.Result k = InstancesBoto.run(EC2, admin, "create-key", "bench").assertOk();
      Path key = work.resolve("bench.pem");
      Files.writeString(key, k.stdout().substring(k.stdout().indexOf('\n') + 1));
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      Shell.Result run = InstancesBoto.run(EC2, admin, "run", imageId, "key=bench", "type=m1.small").assertOk();
      guest = run.stdout().lines().skip(1).findFirst().orElseThrow().split("\t")[0];
      String id = guest;
      Instance row = CloudInstallation.await(LIMIT, id + " running with an address", () -> {
        Instance i = InstancesBoto.describe(EC2, admin, id).stream().findFirst().orElse(null);
        return i != null && i.state().equals("running") && i.privateIp().startsWith(net.guestNet) ? i : null;
      });
      GuestShell shell = new GuestShell(net.namespace, key, row.privateIp());
      shell.awaitOk("true", LIMIT, "ssh into " + id);

      // the instance's last local disk: its swap (vdc, or vdb without an ephemeral disk), never used by the image
      List<String> local = shell.blockDevices().stream().filter(d -> d.startsWith("vd") && !d.equals("vda")).toList();
      if (local.isEmpty()) {
        throw new IllegalStateException("the guest has no local disk besides its root: " + shell.blockDevices());
      }
      String localDisk = local.get(local.size() - 1);
      List<long[]> times = new ArrayList<>();
      String disk = null;
      String volume = null;
      for (int r = 0; r < runs; r++) {
        long t0 = System.nanoTime();
        volume = VolumesBoto.create(EC2, admin, 1, ZONE);
        String vol = volume;
        awaitVolume(admin, vol, v -> v.status().equals("available"));
        long created = System.nanoTime();
        List<String> before = shell.blockDevices();
        long t1 = System.nanoTime();
        VolumesBoto.run(EC2, admin, "attach", vol, id, "/dev/sdb").assertOk();
        awaitVolume(admin, vol, v -> v.attachStatus().equals("attached"));
        long attached = System.nanoTime();
        disk = CloudInstallation.await(LIMIT, Duration.ofMillis(200), "a new disk in the guest", () -> "", () -> {
          List<String> now = new ArrayList<>(shell.blockDevices());
          now.removeAll(before);
          return now.isEmpty() ? null : now.get(0);
        });
        long seen = System.nanoTime();
        times.add(new long[] {created - t0, attached - t1, seen - t1});
        if (r < runs - 1) {
          VolumesBoto.run(EC2, admin, "detach", vol, id).assertOk();
          awaitVolume(admin, vol, v -> v.status().equals("available"));
          String gone = disk;
          CloudInstallation.await(LIMIT, "the disk to leave the guest",
              () -> shell.blockDevices().contains(gone) ? null : true);
          VolumesBoto.run(EC2, admin, "delete", vol).assertOk();
        }
      }
      System.out.println();
      System.out.println("1 GB volume, " + runs + " runs (ms):  create->available  attach->attached  attach->disk in guest");
      for (int r = 0; r < times.size(); r++) {
        long[] t = times.get(r);
        System.out.printf(Locale.ROOT, "  run %d                 %8d          %8d          %8d%n", r + 1, t[0] / 1_000_000,
            t[1] / 1_000_000, t[2] / 1_000_000);
      }
      System.out.println();
      System.out.printf(Locale.ROOT, "%-56s %7s %7s%n", "guest sequential throughput, dd bs=1M count=" + mb + " (MB/s)",
          "write", "read");
      double[] vol = throughput(shell, disk, mb);
      double[] loc = throughput(shell, localDisk, mb);
      System.out.printf(Locale.ROOT, "  %-54s %7.1f %7.1f%n", "volume (/dev/" + disk + ", NBD with TLS)", vol[0], vol[1]);
      System.out.printf(Locale.ROOT, "  %-54s %7.1f %7.1f%n", "local disk (/dev/" + localDisk + ", a file in the instance folder)",
          loc[0], loc[1]);
      System.out.println("the daemons' logs: " + cloud.logDir());
      InstancesBoto.run(EC2, admin, "terminate", id);
      CloudInstallation.await(LIMIT, "the guest to end", () -> GuestHost.qemuProcessesOf(id).isEmpty() ? true : null);
      VolumesBoto.run(EC2, admin, "delete", volume);
    } finally {
      if (guest != null && GuestHost.runningDomains().contains(guest)) {
        GuestHost.virsh("destroy", guest);
      }
      if (site != null) {
        site.close();
      }
    }
  }

  static Volume awaitVolume(Credentials c, String id, Predicate<Volume> ok) {
    return CloudInstallation.await(LIMIT, Duration.ofMillis(100), id, () -> "", () -> {
      Volume v = VolumesBoto.describe(EC2, c, id).stream().findFirst().orElse(null);
      return v != null && ok.test(v) ? v : null;
    });
  }

  /** Write then read MB megabytes of /dev/DISK in the guest; MB/s each, by the guest's clock. */
  static double[] throughput(GuestShell shell, String disk, int mb) {
    String write = shell.awaitOk("a=$(cut -d' ' -f1 /proc/uptime); dd if=/dev/zero of=/dev/" + disk + " bs=1M count=" + mb
        + " 2>/dev/null && sync; b=$(cut -d' ' -f1 /proc/uptime); echo $a $b", LIMIT, "dd write on " + disk);
    String read = shell.awaitOk("sync; echo 3 > /proc/sys/vm/drop_caches; a=$(cut -d' ' -f1 /proc/uptime); dd if=/dev/" + disk
        + " of=/dev/null bs=1M count=" + mb + " 2>/dev/null; b=$(cut -d' ' -f1 /proc/uptime); echo $a $b", LIMIT,
        "dd read on " + disk);
    return new double[] {mb / seconds(write), mb / seconds(read)};
  }

  private static double seconds(String startEnd) {
    String[] f = startEnd.strip().split("\\s+");
    return Math.max(0.01, Double.parseDouble(f[1]) - Double.parseDouble(f[0]));
  }
}
