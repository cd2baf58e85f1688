package com.eucalyptus.storage.backend.nbd;

import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One qemu-storage-daemon per exported volume. Each is started with {@code --daemonize}, so it
 * leaves the CLC's process tree and session and keeps serving while the CLC restarts or is
 * killed; everything needed to find it again lives in the state folder: {@code <id>.pid}
 * (written by the daemon), {@code <id>.qmp} (its monitor socket) and {@code <id>.export} (the
 * {@link ExportRecord}, written before the daemon starts).
 *
 * <p>An export counts only when all agree: the record, the pid file, a live process that is a
 * qemu-storage-daemon started with that pid file (not a reused pid), and its QMP socket answering
 * with the export. Anything less is stopped and its files removed.
 */
final class ExportDaemons {
  private static final Logger LOG = LogManager.getLogger(ExportDaemons.class);
  /** sun_path is 108 bytes with its terminating NUL. */
  private static final int MAX_SOCKET_PATH = 107;
  /** 1.5.2's volume ids: vol-XXXXXXXX. */
  private static final String TYPICAL_ID = "vol-00000000";
  private static final Pattern VERSION = Pattern.compile("version (\\d+)\\.(\\d+)");
  private static final Duration QMP_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);
  private static final String EXPORT_ID = "export";

  private final Path stateDir;
  private final String daemon;
  private final String host;
  private final int firstPort;
  private final int lastPort;
  private final ExportTls tls;
  private final CommandRunner runner;

  ExportDaemons(Path stateDir, String daemon, String host, int firstPort, int lastPort, ExportTls tls, CommandRunner runner) {
    this.stateDir = stateDir.toAbsolutePath();
    this.daemon = daemon;
    this.host = host;
    this.firstPort = firstPort;
    this.lastPort = lastPort;
    this.tls = tls;
    this.runner = runner;
  }

  Path pidFile(String volumeId) {
    return stateDir.resolve(volumeId + ".pid");
  }

  Path qmpSocket(String volumeId) {
    return stateDir.resolve(volumeId + ".qmp");
  }

  Path recordFile(String volumeId) {
    return stateDir.resolve(volumeId + ".export");
  }

  /** Why exports cannot run on this host, or null. */
  String problem() {
    CommandResult v = runner.run(daemon, "--version");
    if (!v.succeeded()) {
      return daemon + " cannot be run (" + (v.stderr().isBlank() ? "exit code " + v.exitCode() : v.stderr().strip())
          + "); the nbd backend needs qemu-storage-daemon (Debian: qemu-system-common)";
    }
    Matcher m = VERSION.matcher(v.stdout());
    if (m.find() && Integer.parseInt(m.group(1)) < 7) {
      return daemon + " is QEMU " + m.group(1) + "." + m.group(2) + "; the nbd backend needs 7.0 or later (--daemonize)";
    }
    if (socketPathTooLong(TYPICAL_ID)) {
      return "the storage state folder " + stateDir + " is too long a path for the daemons' QMP sockets ("
          + MAX_SOCKET_PATH + " bytes at most)";
    }
    if (firstPort < 1 || lastPort > 65535 || firstPort > lastPort) {
      return "the export port range " + firstPort + "-" + lastPort + " is not a range of ports";
    }
    return hostProblem(host);
  }

  private boolean socketPathTooLong(String volumeId) {
    return qmpSocket(volumeId).toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH;
  }

  /** The storage host's address must be one the nodes can reach and this host can listen on. */
  static String hostProblem(String host) {
    if (host == null || host.isBlank()) {
      return "the storage host's address is not configured";
    }
    InetAddress a;
    try {
      a = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      return "the storage host's address " + host + " does not resolve";
    }
    if (a.isAnyLocalAddress()) {
      return "the storage host's address " + host + " is a wildcard; it must be the address the nodes connect to";
    }
    try {
      if (!a.isLoopbackAddress() && NetworkInterface.getByInetAddress(a) == null) {
        return "the storage host's address " + host + " is not an address of this host";
      }
    } catch (SocketException e) {
      return "cannot list this host's addresses: " + e.getMessage();
    }
    return null;
  }

  /** The running export of the volume, or null (after clearing whatever a broken one left). */
  synchronized ExportRecord find(String volumeId) {
    ExportRecord record = ExportRecord.read(recordFile(volumeId));
    Optional<Long> pid = readPid(volumeId);
    if (record == null && pid.isEmpty()) {
      removeFiles(volumeId);
      return null;
    }
    if (pid.isPresent() && isOurDaemon(pid.get(), volumeId)) {
      if (record != null && answers(volumeId)) {
        return record;
      }
      LOG.warn("export of {} (pid {}) is not whole (record {}, QMP not answering?): stopping it", volumeId, pid.get(),
          record == null ? "missing" : "present");
      kill(pid.get(), volumeId);
    }
    removeFiles(volumeId);
    return null;
  }

  /** Starts the volume's daemon on the first free port of the range, or returns the running one. */
  synchronized ExportRecord start(String volumeId, Path volumeFile, String node) throws IOException {
    ExportRecord running = find(volumeId);
    if (running != null) {
      if (!running.node().equals(node)) {
        LOG.info("volume {} is already exported (for {}); {} gets the same export", volumeId, running.node(), node);
      }
      return running;
    }
    if (socketPathTooLong(volumeId)) {
      throw new IOException("cannot export " + volumeId + ": " + qmpSocket(volumeId) + " is longer than a socket path may be");
    }
    Files.createDirectories(stateDir);
    Set<Integer> taken = portsInUse();
    String identity = tls.nodeIdentity();
    for (int port = firstPort; port <= lastPort; port++) {
      if (taken.contains(port) || !canListen(port)) {
        continue;
      }
      ExportRecord record = new ExportRecord(volumeId, host, port, volumeId, node);
      record.write(recordFile(volumeId));
      CommandResult r = runner.run(command(volumeId, volumeFile.toAbsolutePath(), port, identity));
      if (r.succeeded()) {
        if (find(volumeId) == null) {
          throw new IOException("the export daemon of " + volumeId + " started but does not answer on " + qmpSocket(volumeId));
        }
        LOG.info("exported {} as {} (for node {})", volumeId, record.remoteDev(), node);
        return record;
      }
      removeFiles(volumeId);
      if (!r.stderr().contains("Address already in use")) {
        throw new IOException("cannot export " + volumeId + ": " + r.stderr().strip());
      }
    }
    throw new IOException("cannot export " + volumeId + ": no free port in " + firstPort + "-" + lastPort + " on " + host);
  }

  /** Stops the volume's daemon (QMP quit, then SIGTERM, then SIGKILL) and removes its files. */
  synchronized void stop(String volumeId) {
    Optional<Long> pid = readPid(volumeId);
    if (pid.isPresent() && isOurDaemon(pid.get(), volumeId)) {
      try {
        Qmp.run(qmpSocket(volumeId), QMP_TIMEOUT, "{\"execute\":\"quit\"}");
      } catch (IOException e) {
        LOG.debug("QMP quit of {}: {}", volumeId, e.getMessage());
      }
      if (!waitGone(pid.get(), STOP_WAIT)) {
        kill(pid.get(), volumeId);
      }
      LOG.info("stopped the export of {} (pid {})", volumeId, pid.get());
    }
    removeFiles(volumeId);
  }

  /** Volume ids that have export files (even a lone socket); {@link #find} says which are really running. */
  List<String> recorded() throws IOException {
    List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(stateDir)) {
      return ids;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDir, "*.{export,pid,qmp}")) {
      for (Path p : files) {
        String name = p.getFileName().toString();
        String id = name.substring(0, name.lastIndexOf('.'));
        if (!ids.contains(id)) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  private List<String> command(String volumeId, Path volumeFile, int port, String nodeIdentity) {
    return List.of(daemon, "--daemonize", "--pidfile", pidFile(volumeId).toString(),
        "--chardev", "socket,id=qmp,path=" + qemuOptValue(qmpSocket(volumeId).toString()) + ",server=on,wait=off",
        "--monitor", "chardev=qmp",
        "--object", "{\"qom-type\":\"tls-creds-x509\",\"id\":\"tls\",\"endpoint\":\"server\",\"dir\":"
            + Qmp.quote(tls.dir().toAbsolutePath().toString()) + ",\"verify-peer\":true}",
        "--object", "{\"qom-type\":\"authz-simple\",\"id\":\"authz\",\"identity\":" + Qmp.quote(nodeIdentity) + "}",
        "--blockdev", "{\"driver\":\"file\",\"node-name\":\"volume\",\"filename\":" + Qmp.quote(volumeFile.toString()) + "}",
        "--nbd-server", "{\"addr\":{\"type\":\"inet\",\"host\":" + Qmp.quote(host) + ",\"port\":\"" + port
            + "\"},\"tls-creds\":\"tls\",\"tls-authz\":\"authz\"}",
        "--export", "{\"type\":\"nbd\",\"id\":\"" + EXPORT_ID + "\",\"node-name\":\"volume\",\"name\":" + Qmp.quote(volumeId)
            + ",\"writable\":true}");
  }

  /** QemuOpts (the -chardev syntax) escapes a comma in a value by doubling it. */
  private static String qemuOptValue(String v) {
    return v.replace(",", ",,");
  }

  /**
   * Whether the daemon's QMP socket lists the export. A daemon that takes the connection but
   * does not answer in time counts as answering (with a warning): its monitor may be serving
   * another client, and stopping it would cut the guest's disk off. A socket that is gone,
   * refuses, or answers without the export is a broken export.
   */
  private boolean answers(String volumeId) {
    try {
      String exports = Qmp.run(qmpSocket(volumeId), QMP_TIMEOUT, "{\"execute\":\"query-block-exports\"}").get(0);
      return exports.contains("\"id\": \"" + EXPORT_ID + "\"") || exports.contains("\"id\":\"" + EXPORT_ID + "\"");
    } catch (Qmp.Busy e) {
      LOG.warn("export of {}: {}; its process runs, so it is taken as running", volumeId, e.getMessage());
      return true;
    } catch (IOException e) {
      LOG.debug("QMP of {}: {}", volumeId, e.getMessage());
      return false;
    }
  }

  private Set<Integer> portsInUse() throws IOException {
    Set<Integer> ports = new HashSet<>();
    for (String id : recorded()) {
      ExportRecord r = ExportRecord.read(recordFile(id));
      if (r != null) {
        ports.add(r.port());
      }
    }
    return ports;
  }

  private boolean canListen(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Optional<Long> readPid(String volumeId) {
    try {
      String text = Files.readString(pidFile(volumeId), StandardCharsets.US_ASCII).strip();
      return text.matches("[0-9]{1,10}") ? Optional.of(Long.parseLong(text)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A live (not zombie) qemu-storage-daemon whose command line names this volume's pid file. */
  private boolean isOurDaemon(long pid, String volumeId) {
    if (!isAlive(pid)) {
      return false;
    }
    try {
      List<String> argv = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
          StandardCharsets.UTF_8).split("\0"));
      return !argv.isEmpty() && argv.get(0).endsWith("qemu-storage-daemon") && argv.contains(pidFile(volumeId).toString());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether any thread of the process still runs. A zombie leader alone is not enough to say
   * it has gone: while the other threads of an exiting process finish, the leader already shows
   * Z and the process's sockets may still be open.
   */
  static boolean isAlive(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path t : threads) {
        if (running(t.resolve("stat"))) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean running(Path stat) {
    try {
      String s = Files.readString(stat, StandardCharsets.US_ASCII);
      String afterName = s.substring(s.lastIndexOf(')') + 1).strip();
      return !afterName.startsWith("Z") && !afterName.startsWith("X");
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean waitGone(long pid, Duration wait) {
    long end = System.nanoTime() + wait.toNanos();
    while (isAlive(pid)) {
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !isAlive(pid);
      }
    }
    return true;
  }

  private static void kill(long pid, String volumeId) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty()) {
      return;
    }
    h.get().destroy();
    if (!waitGone(pid, STOP_WAIT)) {
      LOG.warn("export daemon of {} (pid {}) ignored SIGTERM: killing it", volumeId, pid);
      h.get().destroyForcibly();
      waitGone(pid, STOP_WAIT);
    }
  }

  private void removeFiles(String volumeId) {
    for (Path p : new Path[] {recordFile(volumeId), pidFile(volumeId), qmpSocket(volumeId)}) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        LOG.warn("cannot remove {}: {}", p, e.getMessage());
      }
    }
  }
}
