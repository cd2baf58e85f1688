package com.eucalyptus.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a host on the public side does, run in the "internet" namespace: OpenSSH's client to a
 * guest's public address with the key of a key pair the cloud made, HTTP GETs, and a listener
 * (python3's http.server on :8080) that writes down the source address of every request, so a
 * test sees from which address a guest's outbound connection arrives.
 */
public final class InternetHost implements AutoCloseable {
  public static final int LISTENER_PORT = 8080;
  private final String ns;
  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private Path beaconLog;

  private Path busybox;

  public InternetHost(String namespace, Path dir) {
    this.ns = namespace;
    this.dir = dir;
  }

  /** Unpacks Debian's busybox-static package (the test image's) for its ping: this host has no other. */
  public void useBusybox(Path busyboxDeb) {
    Path into = dir.resolve("busybox");
    try {
      Files.createDirectories(into);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Shell.run(Map.of(), "dpkg-deb", "-x", busyboxDeb.toString(), into.toString()).assertOk();
    busybox = into.resolve("bin/busybox");
  }

  /** The busybox unpacked by {@link #useBusybox} (its ping and arping serve other namespaces too). */
  public Path busybox() {
    return busybox;
  }

  /** One ICMP echo request to {@code ip} from the internet host; true when the echo reply came within 2 s. */
  public boolean ping(String ip) {
    Shell.Result r = Shell.run(List.of("ip", "netns", "exec", ns, busybox.toString(), "ping", "-c", "1", "-W", "2", ip),
        Map.of(), null, Duration.ofSeconds(20));
    return r.exitCode() == 0;
  }

  /** ssh root@ip command, BatchMode, 6 s to connect; exit 255 when no connection could be made. */
  public Shell.Result ssh(Path key, String ip, String command) {
    return Shell.run(sshCommand(key, ip, command), Map.of(), null, Duration.ofSeconds(40));
  }

  /** ssh root@ip command with {@code input} as its standard input (a file sent into the guest, as scp would). */
  public Shell.Result sshWithInput(Path key, String ip, String command, Path input) {
    return transfer(sshCommand(key, ip, command), input, null);
  }

  /** ssh root@ip command, its standard output saved to {@code output} byte for byte (a file read from the guest). */
  public Shell.Result sshToFile(Path key, String ip, String command, Path output) {
    return transfer(sshCommand(key, ip, command), null, output);
  }

  private static Shell.Result transfer(List<String> cmd, Path input, Path output) {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectInput(input == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null")) : ProcessBuilder.Redirect.from(
        input.toFile()));
    try {
      Path out = output != null ? output : Files.createTempFile("euca-it-ssh-", ".out");
      Path err = Files.createTempFile("euca-it-ssh-", ".err");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("timed out after 3 minutes: " + String.join(" ", cmd));
      }
      String stdout = output != null ? "(saved in " + output + ", " + Files.size(output) + " bytes)" : Files.readString(out);
      Shell.Result r = new Shell.Result(List.copyOf(cmd), p.exitValue(), stdout, Files.readString(err));
      Files.deleteIfExists(err);
      if (output == null) {
        Files.deleteIfExists(out);
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private List<String> sshCommand(Path key, String ip, String command) {
    return new ArrayList<>(List.of("ip", "netns", "exec", ns, "ssh", "-i", key.toString(), "-o", "BatchMode=yes", "-o",
        "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=6", "-o", "LogLevel=ERROR",
        "root@" + ip, command));
  }

  /**
   * An ssh session kept open: the guest prints "tick N" every second; its output goes to
   * {@code output}. The process is this test's own: ended by {@link #close}.
   */
  public Process openSession(Path key, String ip, Path output) {
    try {
      Process p = new ProcessBuilder(sshCommand(key, ip, "n=0; while :; do n=$((n+1)); echo tick $n; sleep 1; done"))
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** curl http://ip:port/path from the internet host, 5 s at most; the body, or null when nothing answered. */
  public String httpGet(String ip, int port, String path) {
    Shell.Result r = Shell.run(List.of("ip", "netns", "exec", ns, "curl", "-s", "-m", "5", "http://" + ip + ":" + port + path),
        Map.of(), null, Duration.ofSeconds(20));
    return r.exitCode() == 0 ? r.stdout() : null;
  }

  /** Starts the listener on the internet host's address :8080. */
  public void startListener(String address) {
    try {
      Files.createDirectories(dir);
      beaconLog = dir.resolve("beacons.log");
      Files.writeString(beaconLog, "");
      Path script = dir.resolve("listener.py");
      Files.writeString(script, String.join("\n",
          "import http.server, sys, time",
          "log = open(sys.argv[2], 'a', buffering=1)",
          "class H(http.server.BaseHTTPRequestHandler):",
          "    def do_GET(self):",
          "        log.write('%.3f %s %s\\n' % (time.time(), self.client_address[0], self.path))",
          "        self.send_response(200)",
          "        self.send_header('Content-Length', '2')",
          "        self.end_headers()",
          "        self.wfile.write(b'ok')",
          "    def log_message(self, *a):",
          "        pass",
          "http.server.ThreadingHTTPServer((sys.argv[1], " + LISTENER_PORT + "), H).serve_forever()", ""));
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
      Process p = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/bin/python3", script.toString(), address,
          beaconLog.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("listener.out").toFile()).start();
      processes.add(p);
      CloudInstallation.await(Duration.ofSeconds(15), "the listener on " + address + ":" + LISTENER_PORT,
          () -> FrontEndNetwork.in(ns, "ss", "-tln").stdout().contains(":" + LISTENER_PORT + " ") ? Boolean.TRUE : null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request the listener saw: when (epoch seconds), from which address, which path. */
  public record Beacon(double time, String source, String path) {
  }

  public List<Beacon> beacons() {
    try {
      return Files.readAllLines(beaconLog).stream().map(l -> l.split(" ", 3)).filter(f -> f.length == 3)
          .map(f -> new Beacon(Double.parseDouble(f[0]), f[1], f[2])).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The latest request whose path ends with {@code suffix} received after {@code sinceEpochSeconds}, or null. */
  public Beacon latest(String suffix, double sinceEpochSeconds) {
    Beacon found = null;
    for (Beacon b : beacons()) {
      if (b.time() > sinceEpochSeconds && b.path().endsWith(suffix)) {
        found = b;
      }
    }
    return found;
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy(); // ip netns exec execs in place: the ssh client or python3 this test started
      try {
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }
}
