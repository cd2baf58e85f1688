package com.eucalyptus.itests.bench;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.Ec2Clients;
import com.eucalyptus.itests.support.GuestHost;
import com.eucalyptus.itests.support.QuerySigner;
import com.eucalyptus.itests.support.Shell;
import com.eucalyptus.itests.support.SiteNetwork;
import com.eucalyptus.itests.support.TestImages;
import com.eucalyptus.itests.support.VerboseZoneView;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the time of a launch goes, cold (nothing cached: Walrus decrypts the bundles and the NC
 * fetches kernel, ramdisk and image) and warm (the NC's cache holds them). The CLC, the CC and the
 * NC run as separate processes from the init.d scripts with libvirtd running QEMU (TCG) guests of
 * the project's test image (tools/make-test-images), bundled, uploaded and registered as a user
 * would. The guests' network is the one InstancesIT uses ({@link SiteNetwork}, SYSTEM mode): the
 * guests' bridge, and a namespace as the site's router leasing addresses (busybox udhcpd) and
 * redirecting the metadata address to the CLC; this host routes the guests' subnet through it
 * (the machine's own iptables are not touched). Each launch is followed until this program has
 * logged in to the guest with ssh (the image's dropbear, the key pair made here); then the guest
 * is terminated.
 *
 * <p>Each step's time is read from the line the daemon logs for it (same host, same clock):
 * <pre>
 *   API call            this program sends RunInstances (signature v2) to the CLC
 *   CC received         cc.log   "RunInstances r-…: received for [i-…]"
 *   CC sent to NC       cc.log   "instance i-…: sending ncRunInstance to …"
 *   NC received         nc.log   "instance i-… accepted (…)"
 *   images ready        nc.log   "instance i-…: image emi-… ready" (kernel and ramdisk come before it)
 *   disks built         nc.log   "instance i-…: disks built"
 *   QEMU process        /proc/&lt;pid&gt;/stat start time of the guest's QEMU process
 *   domain started      nc.log   "instance i-…: domain started" (libvirt returned), else "instance i-… is running"
 *   CC saw Extant       cc.log   "instance i-… on …: Pending -> Extant" (its poll of the NC)
 *   CLC saw running     cloud-output.log "instance i-… of …: pending → running" (its poll of the CC)
 *   client saw running  this program's DescribeInstances (polled every 100 ms) first shows running
 *   address shown       DescribeInstances (2009-07-15, polled every 250 ms) first shows ipAddress
 *   first ssh login     ssh -i key root@that address true first succeeds (tried every 250 ms)
 * </pre>
 * A step whose line is missing is printed as "-" (an older daemon, or a step that did not happen).
 * Run by bench/instances.
 */
public final class LaunchTimeBench {
  /**
   * Added to the daemons' ports (-Deuca.bench.portOffset, EUCA_BENCH_PORT_OFFSET in bench/instances),
   * so that the bench can run beside a cloud that already holds 8773-8775 and 8443.
   */
  private static final int PORT_OFFSET = Integer.getInteger("euca.bench.portOffset", 0);
  private static final int CLOUD_PORT = CloudInstallation.CLOUD_PORT + PORT_OFFSET;
  private static final String EC2 = "http://127.0.0.1:" + CLOUD_PORT + "/services/Eucalyptus";
  private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
  private static final Duration RUNNING_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration SSH_TIMEOUT = Duration.ofMinutes(5);
  /** The private half of the key pair "bench", written when it is made. */
  private static Path keyFile;

  /** One step: where its line is and what it says (%s is the instance id, quoted). */
  record Step(String name, String log, List<String> patterns) {
  }

  static final List<Step> LOGGED_STEPS = List.of(
      new Step("CC received RunInstances", "cc.log", List.of("RunInstances \\S+: received for \\[.*\\b%s\\b")),
      new Step("CC sent ncRunInstance", "cc.log", List.of("instance %s: sending ncRunInstance to ")),
      new Step("NC received ncRunInstance", "nc.log", List.of("instance %s accepted")),
      new Step("NC kernel+ramdisk+image ready", "nc.log", List.of("instance %s: image \\S+ ready")),
      new Step("NC disks built", "nc.log", List.of("instance %s: disks built")),
      new Step("NC domain started", "nc.log", List.of("instance %s: domain started", "instance %s is running")),
      new Step("CC saw Extant", "cc.log", List.of("instance %s on \\S+: \\S+ -> Extant")),
      new Step("CLC saw running", "cloud-output.log", List.of("instance %s of \\S+: \\S+ \\S{1,3} running")));

  public static void main(String[] args) throws Exception {
    int warmRuns = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    String noGuests = GuestHost.whyQemuCannotRun();
    if (noGuests != null) {
      throw new IllegalStateException(noGuests);
    }
    TestImages images = TestImages.make();

    SiteNetwork site = null;
    Map<String, String> conf = new LinkedHashMap<>(Map.of("LOGLEVEL", "INFO", "NC_CACHE_SIZE", "400"));
    if (PORT_OFFSET != 0) {
      conf.putAll(Map.of("CLOUD_PORT", String.valueOf(CLOUD_PORT),
          "CLOUD_SSL_PORT", String.valueOf(CloudInstallation.CONSOLE_PORT + PORT_OFFSET),
          "CC_PORT", String.valueOf(CloudInstallation.CC_PORT + PORT_OFFSET),
          "NC_PORT", String.valueOf(CloudInstallation.NC_PORT + PORT_OFFSET)));
    }
    try (CloudInstallation cloud = CloudInstallation.install("bench-instances", conf)) {
      // QEMU runs as libvirt-qemu: it must reach the instance folders under the install
      Files.setPosixFilePermissions(cloud.home(), PosixFilePermissions.fromString("rwxr-xr-x"));
      site = SiteNetwork.build(cloud.home().resolve("site"), busyboxDeb(), CLOUD_PORT);
      cloud.setConf(site.conf());
      cloud.startAll();
      cloud.registerClusterAndNode();
      Path creds = cloud.credentials("admin");
      Credentials admin = CloudInstallation.readEucarc(creds);
      VerboseZoneView.awaitReady("cluster1", () -> VerboseZoneView.parseTabbed(
          Ec2Clients.boto(EC2, admin, "2", "zones", "verbose").assertOk().stdout()));
      String imageId = images.register(cloud, creds, Files.createDirectories(cloud.home().resolve("bench-work")), "bench")
          .imageId();
      String made = ec2(admin, Map.of("Action", "CreateKeyPair", "KeyName", "bench"));
      Matcher pem = Pattern.compile("<keyMaterial>([^<]+)</keyMaterial>").matcher(made);
      if (!pem.find()) {
        throw new IllegalStateException("CreateKeyPair answered no key material: " + made);
      }
      keyFile = cloud.home().resolve("bench-work/bench.pem");
      Files.writeString(keyFile, pem.group(1).strip() + "\n");
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));

      List<Run> runs = new ArrayList<>();
      runs.add(launchOnce(cloud, admin, imageId, "cold"));
      for (int i = 1; i <= warmRuns; i++) {
        runs.add(launchOnce(cloud, admin, imageId, "warm " + i));
      }
      print(runs);
      System.out.println("the daemons' logs: " + cloud.logDir());
    } finally {
      if (site != null) {
        site.close();
      }
    }
  }

  /** Debian's busybox-static .deb, where tools/make-test-images keeps it (the site's udhcpd). */
  static Path busyboxDeb() throws IOException {
    String xdg = System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache");
    Path cache = Path.of(System.getenv().getOrDefault("EUCA_IMAGE_CACHE", xdg + "/eucalyptus/test-images"));
    try (Stream<Path> s = Files.list(cache)) {
      return s.filter(p -> p.getFileName().toString().startsWith("busybox-static_")).sorted().reduce((a, b) -> b)
          .orElseThrow(() -> new IllegalStateException("no busybox-static .deb in " + cache));
    }
  }

  static String ec2(Credentials admin, Map<String, String> params) {
    HttpResponse<String> r = QuerySigner.get(EC2, QuerySigner.signV2("127.0.0.1:" + CLOUD_PORT, "/services/Eucalyptus",
        admin.accessKey(), admin.secretKey(), params, Instant.now()));
    if (r.statusCode() != 200) {
      throw new IllegalStateException(params.get("Action") + ": HTTP " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** One launch: its label, the instance, and each step's time (epoch ms) by step name. */
  record Run(String label, String instanceId, Map<String, Long> at) {
  }

  /**
   * Launches one instance, waits until DescribeInstances shows it running, then its address, then
   * until ssh logs in to it; terminates it and waits until its QEMU process is gone.
   */
  static Run launchOnce(CloudInstallation cloud, Credentials admin, String imageId, String label) throws Exception {
    Map<String, Long> at = new LinkedHashMap<>();
    long t0 = System.currentTimeMillis();
    at.put("API call (RunInstances sent)", t0);
    String reply = ec2(admin, Map.of("Action", "RunInstances", "ImageId", imageId, "MinCount", "1", "MaxCount", "1",
        "InstanceType", "m1.small", "KeyName", "bench"));
    at.put("RunInstances answered", System.currentTimeMillis());
    Matcher m = Pattern.compile("<instanceId>(i-[0-9A-Fa-f]{8})</instanceId>").matcher(reply);
    if (!m.find()) {
      throw new IllegalStateException("RunInstances answered no instance id: " + reply);
    }
    String id = m.group(1);
    Long seen = null;
    long deadline = System.currentTimeMillis() + RUNNING_TIMEOUT.toMillis();
    while (seen == null) {
      String state = stateOf(ec2(admin, Map.of("Action", "DescribeInstances", "InstanceId.1", id)), id);
      if ("running".equals(state)) {
        seen = System.currentTimeMillis();
      } else if ("terminated".equals(state) || "shutting-down".equals(state)) {
        throw new IllegalStateException(id + " went " + state + " before running: " + tail(cloud, "nc.log"));
      } else if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(id + " not running after " + RUNNING_TIMEOUT + " (" + state + "): "
            + tail(cloud, "nc.log"));
      } else {
        Thread.sleep(100);
      }
    }
    Long qemu = qemuStart(id);
    // as a user would: the address DescribeInstances gives, then ssh until it lets us in
    String address = null;
    Long addressShown = null;
    Long sshed = null;
    deadline = System.currentTimeMillis() + SSH_TIMEOUT.toMillis();
    Shell.Result lastSsh = null;
    while (sshed == null && System.currentTimeMillis() < deadline) {
      if (address == null) {
        address = addressOf(ec2(admin, Map.of("Action", "DescribeInstances", "InstanceId.1", id,
            "Version", "2009-07-15")), id);
        if (address != null) {
          addressShown = System.currentTimeMillis();
        }
      }
      if (address != null) {
        lastSsh = Shell.run(List.of("ssh", "-i", keyFile.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=3", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR", "root@" + address, "true"), Map.of(), null, Duration.ofSeconds(20));
        if (lastSsh.exitCode() == 0) {
          sshed = System.currentTimeMillis();
          break;
        }
      }
      Thread.sleep(250);
    }
    if (sshed == null) {
      System.out.println(id + ": no ssh login within " + SSH_TIMEOUT + " (address " + address + "): "
          + (lastSsh == null ? "never tried" : lastSsh.all().replace('\n', ' ')));
    }
    ec2(admin, Map.of("Action", "TerminateInstances", "InstanceId.1", id));
    CloudInstallation.await(Duration.ofMinutes(2), "the QEMU process of " + id + " to end",
        () -> qemuPid(id) == null ? Boolean.TRUE : null);
    for (Step s : LOGGED_STEPS) {
      Long t = loggedAt(cloud.logDir().resolve(s.log()), id, s.patterns());
      if (t != null) {
        at.put(s.name(), t);
      }
    }
    if (qemu != null) {
      at.put("QEMU process started", qemu);
    }
    at.put("client saw running", seen);
    if (addressShown != null) {
      at.put("address in DescribeInstances", addressShown);
    }
    if (sshed != null) {
      at.put("first ssh login", sshed);
    }
    return new Run(label, id, at);
  }

  /** The ipAddress (2009-07-15 and later) DescribeInstances gives {@code id}, or null while it has none. */
  static String addressOf(String describe, String id) {
    int i = describe.indexOf("<instanceId>" + id + "</instanceId>");
    if (i < 0) {
      return null;
    }
    int end = describe.indexOf("</item>", i);
    Matcher m = Pattern.compile("<ipAddress>([0-9.]+)</ipAddress>").matcher(describe);
    return m.find(i) && (end < 0 || m.start() < end) ? m.group(1) : null;
  }

  /** The state name DescribeInstances gives {@code id}, or null when it is not listed. */
  static String stateOf(String describe, String id) {
    int i = describe.indexOf("<instanceId>" + id + "</instanceId>");
    if (i < 0) {
      return null;
    }
    Matcher m = Pattern.compile("<instanceState>\\s*<code>\\d+</code>\\s*<name>([a-z-]+)</name>").matcher(describe);
    return m.find(i) ? m.group(1) : null;
  }

  /** The time (epoch ms) of the first line of {@code log} matching one of {@code patterns}, tried in order. */
  static Long loggedAt(Path log, String id, List<String> patterns) throws IOException {
    if (!Files.exists(log)) {
      return null;
    }
    // read as Latin-1: never fails on a byte, and the ids and words matched are ASCII
    List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    for (String p : patterns) {
      Pattern re = Pattern.compile(String.format(p, Pattern.quote(id)));
      for (String line : lines) {
        if (line.length() > 23 && re.matcher(line).find()) {
          return LocalDateTime.parse(line.substring(0, 23), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant()
              .toEpochMilli();
        }
      }
    }
    return null;
  }

  /** The pid of the QEMU process running guest {@code id}, or null. */
  static Long qemuPid(String id) {
    return GuestHost.qemuProcessesOf(id).stream().findFirst().orElse(null);
  }

  /**
   * When the guest's QEMU process started (epoch ms, to the kernel's 10 ms tick): its start time in
   * ticks since boot, placed on the wall clock through /proc/uptime read now.
   */
  static Long qemuStart(String id) throws IOException {
    Long pid = qemuPid(id);
    if (pid == null) {
      return null;
    }
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // fields after the command name (which may hold spaces) start at field 3; starttime is field 22
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long startTicks = Long.parseLong(f[22 - 3]);
    long now = System.currentTimeMillis();
    double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    long ticksPerSecond = Long.parseLong(Shell.run(Map.of(), "getconf", "CLK_TCK").stdout().strip());
    long bootEpochMs = now - Math.round(uptime * 1000);
    return bootEpochMs + startTicks * 1000 / ticksPerSecond;
  }

  static String tail(CloudInstallation cloud, String log) {
    return GuestHost.tail(cloud.logDir().resolve(log), 8);
  }

  static final List<String> ORDER = List.of("API call (RunInstances sent)", "CC received RunInstances",
      "CC sent ncRunInstance", "NC received ncRunInstance", "RunInstances answered", "NC kernel+ramdisk+image ready",
      "NC disks built", "QEMU process started", "NC domain started", "CC saw Extant", "CLC saw running",
      "client saw running", "address in DescribeInstances", "first ssh login");

  /** One table: a row per step; per run its time since the API call and since the step before (ms). */
  static void print(List<Run> runs) {
    StringBuilder head = new StringBuilder(String.format("%-36s", "launch step (ms after the API call)"));
    for (Run r : runs) {
      head.append(String.format(" | %-7s %-10s %7s", r.label(), r.instanceId(), "+step"));
    }
    System.out.println(head);
    for (String step : ORDER) {
      StringBuilder row = new StringBuilder(String.format("%-36s", step));
      for (Run r : runs) {
        Long t = r.at().get(step);
        Long prev = null;
        // the step before among those this run has; "RunInstances answered" is beside the chain
        for (String earlier : ORDER.subList(0, ORDER.indexOf(step))) {
          if (r.at().get(earlier) != null && !earlier.equals("RunInstances answered")) {
            prev = r.at().get(earlier);
          }
        }
        String delta = t == null || prev == null || step.equals("RunInstances answered") ? "" : "+" + (t - prev);
        row.append(String.format(" | %18s %7s", t == null ? "-" : String.valueOf(t - r.at().get(ORDER.get(0))), delta));
      }
      System.out.println(row);
    }
    for (Run r : runs) {
      Long ssh = r.at().get("first ssh login");
      System.out.printf("%-7s %s: RunInstances -> first ssh login %s%n", r.label(), r.instanceId(),
          ssh == null ? "none (see above)" : (ssh - r.at().get(ORDER.get(0))) + " ms");
    }
    for (Run r : runs) {
      Long qemu = r.at().get("QEMU process started");
      Long clc = r.at().get("CLC saw running");
      if (qemu != null) {
        // issue 5: with a cached image, running in DescribeInstances within 1 s of QEMU starting
        System.out.printf("%-7s %s: QEMU started -> CLC saw running %s ms, -> client saw running %d ms%n", r.label(),
            r.instanceId(), clc == null ? "-" : String.valueOf(clc - qemu), r.at().get("client saw running") - qemu);
      }
    }
    System.out.println("(\"-\": no line logged for that step. Daemon times are their log lines' (ms), the QEMU start is"
        + " the kernel's (10 ms tick); all on this host's clock.)");
  }
}
