package com.eucalyptus.cc.network.dhcp;

import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The CC's ISC dhcpd (VNET_DHCPDAEMON), as 1.5.2 ran it, its files in
 * {@code $EUCALYPTUS/var/run/eucalyptus/net/} (euca-dhcp.conf, .leases, .pid), started with
 * {@code -cf -lf -pf} and the interface (no {@code -tf}: see serve), under VNET_DHCPUSER ({@code -user}, which ISC dhcpd
 * switches to after opening its sockets) unless that is root. Every change of the configuration
 * stops the running one and starts a new one; nothing to serve means none runs. A dhcpd left by an
 * earlier CC (one killed with -9 included) is found by its pid file, or failing that by its command
 * line naming this configuration file, and stopped first: never two on one interface.
 */
public final class DhcpDaemon {
  private static final Logger LOG = LogManager.getLogger(DhcpDaemon.class);
  public static final String CONF = "euca-dhcp.conf";
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);
  private final CommandRunner runner;
  private final String daemon;
  private final String user;
  private final Path dir;
  private final String iface;
  private String running;
  private List<String> runningOn;

  /**
   * @param daemon VNET_DHCPDAEMON
   * @param user VNET_DHCPUSER ("root" or null: no {@code -user})
   * @param dir the folder of its files (var/run/eucalyptus/net)
   * @param iface the interface it serves (VNET_PRIVINTERFACE) unless {@link #serve(String, List)} names others
   */
  public DhcpDaemon(CommandRunner runner, String daemon, String user, Path dir, String iface) {
    this.runner = runner;
    this.daemon = daemon;
    this.user = user == null || user.isBlank() || user.equals("root") ? null : user;
    this.dir = dir;
    this.iface = iface;
  }

  public Path confFile() {
    return dir.resolve(CONF);
  }

  public Path pidFile() {
    return dir.resolve("euca-dhcp.pid");
  }

  /**
   * Serves {@code config} (euca-dhcp.conf's text; null for nothing to serve): rewrites the file and
   * restarts dhcpd when the text changed or dhcpd is not running, stops it when null.
   *
   * @throws IOException when dhcpd could not be started (the message holds its complaint)
   */
  public synchronized void serve(String config) throws IOException {
    serve(config, List.of(iface));
  }

  /**
   * As {@link #serve(String)}, listening on {@code interfaces} (MANAGED: every active network's
   * bridge); a change of the interfaces restarts it too.
   */
  public synchronized void serve(String config, List<String> interfaces) throws IOException {
    if (config == null) {
      stop();
      return;
    }
    if (config.equals(running) && interfaces.equals(runningOn) && !pids().isEmpty()) {
      return;
    }
    stop();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(CONF + ".new");
    Files.writeString(tmp, config, StandardCharsets.US_ASCII);
    Files.move(tmp, confFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Path leases = dir.resolve("euca-dhcp.leases");
    if (!Files.exists(leases)) {
      Files.createFile(leases); // dhcpd will not start without its lease file
    }
    // no -tf trace file, unlike 1.5.2: dhcpd appends every packet to it for as long as it runs,
    // which fills the disk of a front end that runs for months; one left by an older CC goes
    Files.deleteIfExists(dir.resolve("euca-dhcp.trace"));
    if (user != null) {
      // dhcpd writes its leases after giving up root
      UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
      Files.setOwner(leases, owner);
    }
    List<String> cmd = new ArrayList<>(List.of(daemon, "-cf", confFile().toString(), "-lf", leases.toString(),
        "-pf", pidFile().toString()));
    if (user != null) {
      cmd.addAll(List.of("-user", user));
    }
    cmd.addAll(interfaces);
    CommandResult r = runner.run(cmd, null, Duration.ofSeconds(30));
    if (!r.succeeded()) {
      running = null;
      throw new IOException("dhcpd did not start (" + String.join(" ", cmd) + " => exit " + r.exitCode() + "): "
          + complaint(r));
    }
    running = config;
    runningOn = List.copyOf(interfaces);
    LOG.info("dhcpd serving {} on {} (pid {})", confFile(), String.join(" ", interfaces), pids());
  }

  /** Stops the dhcpd of this configuration file, if one runs. */
  public synchronized void stop() {
    running = null;
    for (long pid : pids()) {
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      if (p.isEmpty()) {
        continue;
      }
      LOG.info("stopping dhcpd (pid {})", pid);
      p.get().destroy();
      try {
        p.get().onExit().get(STOP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("dhcpd (pid {}) did not stop within {} s: killing it", pid, STOP_WAIT.toSeconds());
        p.get().destroyForcibly();
        try {
          p.get().onExit().get(STOP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception ignored) {
          LOG.error("dhcpd (pid {}) is still running", pid);
        }
      }
    }
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", pidFile(), e.toString());
    }
  }

  /** The dhcpds running this configuration file (for tests and diagnostics). */
  public Set<Long> runningPids() {
    return pids();
  }

  /** The dhcpds running this configuration file: the pid file's, and any other whose command line names it. */
  synchronized Set<Long> pids() {
    Set<Long> out = new LinkedHashSet<>();
    try {
      long pid = Long.parseLong(Files.readString(pidFile()).strip());
      if (isOurs(pid)) {
        out.add(pid);
      }
    } catch (IOException | NumberFormatException e) {
      // no pid file, or a damaged one: the scan below still finds it
    }
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.map(p -> p.getFileName().toString()).filter(s -> s.chars().allMatch(Character::isDigit))
          .map(Long::parseLong).filter(this::isOurs).forEach(out::add);
    } catch (IOException e) {
      LOG.debug("cannot list /proc: {}", e.toString());
    }
    return out;
  }

  /** Whether process {@code pid} runs with {@code -cf <our euca-dhcp.conf>}. */
  private boolean isOurs(long pid) {
    try {
      String[] args = Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline"), StandardCharsets.UTF_8)
          .split("\0");
      for (int k = 0; k + 1 < args.length; k++) {
        if (args[k].equals("-cf") && args[k + 1].equals(confFile().toString())) {
          return true;
        }
      }
    } catch (IOException e) {
      // gone, or not ours to read
    }
    return false;
  }

  /** dhcpd prints its banner first; the complaint is at the end (before its "exiting" lines). */
  private static String complaint(CommandResult r) {
    List<String> lines = new ArrayList<>();
    for (String l : (r.stderr() + "\n" + r.stdout()).split("\n")) {
      String s = l.strip();
      if (!s.isEmpty() && !s.startsWith("Internet Systems Consortium") && !s.startsWith("Copyright")
          && !s.startsWith("For info") && !s.startsWith("If you think") && !s.startsWith("bugs on")
          && !s.startsWith("before submitting") && !s.startsWith("process and the information")
          && !s.startsWith("than a configuration") && !s.startsWith("https://") && !s.startsWith("exiting")
          && !s.startsWith("This version of ISC DHCP") && !s.startsWith("Please report")) {
        lines.add(s);
      }
    }
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
  }
}
