package com.eucalyptus.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real single-host cloud for a test: the project installed by {@code tools/install} into a
 * fresh {@code $EUCALYPTUS}, its three daemons started through the init.d scripts, set up with
 * {@code euca_conf} exactly as an administrator would.
 */
public final class CloudInstallation implements AutoCloseable {
  public static final int CLOUD_PORT = 8773;
  public static final int CC_PORT = 8774;
  public static final int NC_PORT = 8775;
  public static final int CONSOLE_PORT = 8443;

  private final Path source;
  private final Path home;
  private final Map<String, String> env = new HashMap<>();
  private final List<String> started = new ArrayList<>();
  /** Daemons whose init.d script runs inside a network namespace (ip netns exec), by daemon name. */
  private final Map<String, String> namespaces = new HashMap<>();
  /** More environment for one daemon's init.d script, by daemon name (e.g. EUCA_CONF for a node's own file). */
  private final Map<String, Map<String, String>> daemonEnv = new HashMap<>();

  private CloudInstallation(Path source, Path home) {
    this.source = source;
    this.home = home;
    env.put("EUCALYPTUS", home.toString());
  }

  /** Installs into a new temp folder; {@code confOverrides} are written into eucalyptus.conf. */
  public static CloudInstallation install(String name, Map<String, String> confOverrides) {
    Path source = Path.of(System.getProperty("euca.source", "..")).toAbsolutePath().normalize();
    try {
      Path home = Files.createTempDirectory("euca-it-" + name + "-");
      CloudInstallation cloud = new CloudInstallation(source, home);
      Shell.run(List.of("bash", source.resolve("tools/install").toString(), home.toString()), cloud.env, source,
          Duration.ofMinutes(2)).assertOk();
      Map<String, String> conf = new LinkedHashMap<>();
      conf.put("LOGLEVEL", "DEBUG");
      conf.put("HYPERVISOR", "qemu");
      conf.put("INSTANCE_PATH", home.resolve("instances").toString());
      conf.putAll(confOverrides);
      cloud.setConf(conf);
      return cloud;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path home() {
    return home;
  }

  public Path confFile() {
    return home.resolve("etc/eucalyptus/eucalyptus.conf");
  }

  public Path keysDir() {
    return home.resolve("var/lib/eucalyptus/keys");
  }

  public Path logDir() {
    return home.resolve("var/log/eucalyptus");
  }

  public Map<String, String> env() {
    return Map.copyOf(env);
  }

  /** Rewrites KEY="value" lines of eucalyptus.conf (appends keys that are not there). */
  public void setConf(Map<String, String> values) {
    try {
      List<String> lines = new ArrayList<>(Files.readAllLines(confFile(), StandardCharsets.UTF_8));
      for (Map.Entry<String, String> e : values.entrySet()) {
        String line = e.getKey() + "=\"" + e.getValue() + "\"";
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).matches("^\\s*" + Pattern.quote(e.getKey()) + "=.*")) {
            lines.set(i, line);
            replaced = true;
          }
        }
        if (!replaced) {
          lines.add(line);
        }
      }
      Files.write(confFile(), lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Shell.Result initd(String daemon, String verb) {
    return initd(daemon, verb, Map.of());
  }

  /** The init.d script with more environment, e.g. EUCA_CONF for a second NC on this host. */
  public Shell.Result initd(String daemon, String verb, Map<String, String> extraEnv) {
    return initdIn(namespaces.get(daemon), daemon, verb, extraEnv);
  }

  /**
   * The init.d script of {@code daemon} run inside network namespace {@code ns} (null: the
   * host's own) whatever {@link #runIn} says: a second NC on a node of its own, for example.
   */
  public Shell.Result initdIn(String ns, String daemon, String verb, Map<String, String> extraEnv) {
    Map<String, String> all = new HashMap<>(env);
    all.putAll(daemonEnv.getOrDefault(daemon, Map.of()));
    all.putAll(extraEnv);
    List<String> cmd = new ArrayList<>();
    if (ns != null) {
      // the script, and the JVM it starts, run in the namespace: a front end on a host of its own
      cmd.addAll(List.of("ip", "netns", "exec", ns));
    }
    cmd.addAll(List.of("bash", home.resolve("etc/init.d/eucalyptus-" + daemon).toString(), verb));
    return Shell.run(cmd, all, home, Duration.ofMinutes(2));
  }

  /**
   * From now on the init.d script of {@code daemon} (cloud, cc, nc) runs inside network namespace
   * {@code ns} ({@code ip netns exec}), and so does the daemon it starts; null for the host's own.
   */
  public void runIn(String daemon, String ns) {
    if (ns == null) {
      namespaces.remove(daemon);
    } else {
      namespaces.put(daemon, ns);
    }
  }

  /**
   * From now on the init.d script of {@code daemon} runs with {@code extraEnv} as well, e.g.
   * EUCA_CONF when the node has a configuration file of its own (empty: none).
   */
  public void envFor(String daemon, Map<String, String> extraEnv) {
    daemonEnv.put(daemon, Map.copyOf(extraEnv));
  }

  /** The pid in var/run/eucalyptus/{@code pidFileName} (e.g. eucalyptus-cc.pid). */
  public long pid(String pidFileName) {
    try {
      return Long.parseLong(Files.readString(home.resolve("var/run/eucalyptus/" + pidFileName)).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void start(String daemon) {
    initd(daemon, "start").assertOk();
    if (!started.contains(daemon)) {
      started.add(daemon);
    }
  }

  public void stop(String daemon) {
    initd(daemon, "stop");
  }

  /**
   * Starts the CLC alone (the web console, accounts, EC2 API and Walrus need no CC or NC) and
   * waits until its console answers on 8443 as well as its API on 8773.
   */
  public void startCloudOnly() {
    start("cloud");
    await(Duration.ofSeconds(60), "the web console on port " + CONSOLE_PORT,
        () -> portOpen(CONSOLE_PORT) ? Boolean.TRUE : null);
  }

  public void startAll() {
    start("cloud");
    start("cc");
    start("nc");
  }

  public Shell.Result eucaConf(String... args) {
    List<String> cmd = new ArrayList<>(List.of("bash", home.resolve("usr/sbin/euca_conf").toString(), "-d", home.toString()));
    cmd.addAll(List.of(args));
    return Shell.run(cmd, env, home, Duration.ofMinutes(2));
  }

  /** Registers the cluster and this host as its node, as the guide's first-time set-up does. */
  public void registerClusterAndNode() {
    eucaConf("--addcluster", "cluster1", "127.0.0.1").assertOk();
    eucaConf("--addnode", "127.0.0.1").assertOk();
    // the CC reads NODES at start: restart it so it polls the node just added
    stop("cc");
    start("cc");
  }

  /** Downloads a user's credentials zip with euca_conf and unpacks it; returns the folder holding eucarc. */
  public Path credentials(String user) {
    Path dir = home.resolve("creds-" + user);
    Path zip = home.resolve("creds-" + user + ".zip");
    List<String> args = new ArrayList<>(List.of("--get-credentials", zip.toString()));
    if (user != null && !user.equals("admin")) {
      args.addAll(List.of("--user", user));
    }
    eucaConf(args.toArray(String[]::new)).assertOk();
    Shell.run(List.of("unzip", "-o", "-q", zip.toString(), "-d", dir.toString()), env, home, Duration.ofMinutes(1)).assertOk();
    return dir;
  }

  /** EC2_ACCESS_KEY and EC2_SECRET_KEY out of an eucarc. */
  public static Credentials readEucarc(Path dir) {
    try {
      String rc = Files.readString(dir.resolve("eucarc"));
      return new Credentials(value(rc, "EC2_ACCESS_KEY"), value(rc, "EC2_SECRET_KEY"), value(rc, "EC2_URL"), value(rc, "S3_URL"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String value(String rc, String key) {
    Matcher m = Pattern.compile("(?m)^\\s*(?:export\\s+)?" + key + "=['\"]?([^'\"\\n]*)['\"]?").matcher(rc);
    if (!m.find()) {
      throw new AssertionError(key + " not in eucarc:\n" + rc);
    }
    return m.group(1);
  }

  public record Credentials(String accessKey, String secretKey, String ec2Url, String s3Url) {
  }

  public static boolean portOpen(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Polls {@code check} every second until it returns non-null or {@code timeout} passes. */
  public static <T> T await(Duration timeout, String what, Supplier<T> check) {
    return await(timeout, Duration.ofSeconds(1), what, () -> "", check);
  }

  /**
   * Polls {@code check} every {@code pollEvery} until it returns non-null (a check that throws is
   * tried again); when {@code timeout} has passed, fails on one line with what it waited for, the
   * check's last error and {@code diagnostics} (CI shows only the first line of a failure).
   */
  public static <T> T await(Duration timeout, Duration pollEvery, String what, Supplier<String> diagnostics,
      Supplier<T> check) {
    long end = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (true) {
      try {
        T v = check.get();
        if (v != null) {
          return v;
        }
      } catch (RuntimeException | AssertionError e) {
        last = e;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
            + (last == null ? "" : " (last error: " + String.valueOf(last.getMessage()).replace('\n', ' ') + ")")
            + diagnostics.get(), last);
      }
      try {
        Thread.sleep(pollEvery.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  public String tailLogs() {
    StringBuilder sb = new StringBuilder();
    try (var files = Files.list(logDir())) {
      for (Path p : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        sb.append("==> ").append(p.getFileName()).append(" <==\n");
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> sb.append(l).append('\n'));
      }
    } catch (IOException e) {
      sb.append("(cannot read logs: ").append(e.getMessage()).append(")");
    }
    return sb.toString();
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      stop(started.get(i));
    }
    started.clear();
  }
}
