package com.eucalyptus.itests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * What the host shows of a guest, read independently of the cloud: whether libvirt can run QEMU
 * guests here at all, libvirt's domain list, the QEMU processes (from /proc; nothing is
 * signalled) and libvirt's per-domain QEMU log; and the one-line diagnostics the instance tests
 * put into their assertion messages (CI shows only the first line of a failure).
 */
public final class GuestHost {
  private GuestHost() {
  }

  /**
   * Why libvirt cannot run plain QEMU (TCG) x86_64 guests on this host, or null when it can: the
   * same conditions as the NC's GuestBootTest.
   */
  public static String whyQemuCannotRun() {
    if (!Files.exists(Path.of("/var/run/libvirt/libvirt-sock"))) {
      return "libvirtd is not running (dev/packages.sh start_libvirt starts it)";
    }
    Shell.Result caps = virsh("domcapabilities", "--virttype", "qemu", "--arch", "x86_64");
    return caps.exitCode() == 0 ? null : "libvirt cannot run QEMU here: " + caps.all().strip().replace('\n', ' ');
  }

  /**
   * Skips the calling test class (printing why, as the build log shows it) where guests cannot
   * run: EUCA_SKIP_NETNS_TESTS=1 (no network namespaces), or {@link #whyQemuCannotRun()}.
   */
  public static void skipWhereGuestsCannotRun(String testName) {
    String why = "1".equals(System.getenv("EUCA_SKIP_NETNS_TESTS")) ? "EUCA_SKIP_NETNS_TESTS=1 (no network namespaces here)"
        : whyQemuCannotRun();
    if (why != null) {
      System.out.println("SKIPPED " + testName + ": " + why);
      Assumptions.abort(why);
    }
  }

  public static Shell.Result virsh(String... args) {
    List<String> cmd = new ArrayList<>(List.of("virsh", "-c", "qemu:///system"));
    cmd.addAll(List.of(args));
    return Shell.run(cmd, Map.of(), null, java.time.Duration.ofMinutes(1));
  }

  /** Names of the running domains. */
  public static List<String> runningDomains() {
    return virsh("list", "--name").stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /** QEMU processes whose command line names the guest {@code id}. */
  public static List<Long> qemuProcessesOf(String id) {
    List<Long> found = new ArrayList<>();
    try (var procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : procs) {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
          if (cmd.contains("qemu") && cmd.contains("guest=" + id)) {
            found.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException gone) {
          // the process ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return found;
  }

  /** The last {@code n} lines of a file, joined by " | "; "(none)" when it does not exist. */
  public static String tail(Path file, int n) {
    try {
      if (!Files.isReadable(file)) {
        return "(no " + file + ")";
      }
      List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines()
          .map(l -> l.replaceAll("\\p{Cntrl}", "")).filter(l -> !l.isBlank()).toList();
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "(" + e.getMessage() + ")";
    }
  }

  /** libvirt's log of the domain's QEMU process. */
  public static String qemuLogTail(String id, int n) {
    return tail(Path.of("/var/log/libvirt/qemu/" + id + ".log"), n);
  }

  /** The daemons' log tails (the CLC's output and both NCs share var/log/eucalyptus), one line. */
  public static String daemonLogTails(CloudInstallation cloud, int n) {
    StringBuilder sb = new StringBuilder();
    for (String log : List.of("cloud-output.log", "cc.log", "nc.log", "nc-8776-output.log")) {
      sb.append(" [").append(log).append(": ").append(tail(cloud.logDir().resolve(log), n)).append("]");
    }
    return sb.toString();
  }
}
