package com.eucalyptus.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

/**
 * A cloud for the Walrus tests: only the CLC daemon (Walrus runs inside it; no CC or NC needed),
 * started with its init.d script, and users made with euca_conf --add-user.
 */
public final class WalrusCloud {
  private WalrusCloud() {
  }

  /** Installs, starts the CLC alone and waits until Walrus answers at /services/Walrus. */
  public static CloudInstallation startClcOnly(String name) {
    CloudInstallation cloud = CloudInstallation.install(name, Map.of("LOGLEVEL", "INFO"));
    try {
      cloud.start("cloud");
      awaitWalrus();
      return cloud;
    } catch (Throwable t) {
      String logs = cloud.tailLogs();
      cloud.close();
      throw new AssertionError(t.getMessage() + "\n" + logs, t);
    }
  }

  /** Waits until an anonymous ListAllMyBuckets gets an S3 answer (403 or 200 with S3 XML). */
  public static void awaitWalrus() {
    CloudInstallation.await(Duration.ofSeconds(90), "Walrus answering at " + S3Http.ENDPOINT, () -> {
      S3Http.Response r = S3Http.request("GET", "/").send();
      return r.text().contains("<Error>") || r.text().contains("ListAllMyBucketsResult") ? r : null;
    });
  }

  /** Adds a user with euca_conf --add-user and returns the keys from its credentials zip. */
  public static CloudInstallation.Credentials addUser(CloudInstallation cloud, String name, String email) {
    cloud.eucaConf("--add-user", name, "--email", email).assertOk();
    return CloudInstallation.readEucarc(cloud.credentials(name));
  }

  public static Path bukkits(CloudInstallation cloud) {
    return cloud.home().resolve("var/lib/eucalyptus/bukkits");
  }

  /** The CLC's JVM pid from its pid file. */
  public static long clcPid(CloudInstallation cloud) {
    try {
      return Long.parseLong(Files.readString(cloud.home().resolve("var/run/eucalyptus/eucalyptus-cloud.pid")).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file of {@code size} pseudo-random bytes (seeded, so a failure can be reproduced). */
  public static Path randomFile(Path dir, String name, long size, long seed) {
    try {
      Files.createDirectories(dir);
      Path p = dir.resolve(name);
      Random rnd = new Random(seed);
      byte[] buf = new byte[1 << 20];
      try (var out = Files.newOutputStream(p)) {
        for (long left = size; left > 0; left -= buf.length) {
          rnd.nextBytes(buf);
          out.write(buf, 0, (int) Math.min(buf.length, left));
        }
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fetches a URL with curl (resolving {@code host} to 127.0.0.1) into {@code dest}; returns the HTTP status. */
  public static int curlGet(String url, Path dest) {
    String hostPort = java.net.URI.create(url).getHost() + ":" + java.net.URI.create(url).getPort();
    Shell.Result r = Shell.run(Map.of(), "curl", "-s", "-g", "--resolve", hostPort + ":127.0.0.1", "-o",
        dest.toString(), "-w", "%{http_code}", url);
    r.assertOk();
    return Integer.parseInt(r.stdout().trim());
  }
}
