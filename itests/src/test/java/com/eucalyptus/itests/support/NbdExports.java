package com.eucalyptus.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The storage host's NBD exports seen from outside the cloud: the qemu-storage-daemon processes
 * (read from /proc, as {@code ps} shows them; nothing is signalled) with the address, port and
 * export name on their command lines, and QEMU's own NBD client ({@code qemu-io}) as a stranger
 * would point it at an export: without TLS, or with TLS and a given certificate and key.
 */
public final class NbdExports {
  private NbdExports() {
  }

  /** One export: the daemon's pid, where it listens, the export's name and the daemon's command line. */
  public record Export(long pid, String host, int port, String name, String commandLine) {
  }

  /** Every running qemu-storage-daemon that serves NBD, with what its command line says. */
  public static List<Export> running() {
    List<Export> found = new ArrayList<>();
    try (var procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : procs) {
        String cmd;
        try {
          cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException gone) {
          continue;
        }
        if (!cmd.contains("qemu-storage-daemon")) {
          continue;
        }
        // the dotted option form (addr.host=…) or the JSON one ("host":"…")
        String host = first(cmd, "addr\\.host=([^,\\s]+)", "\"host\"\\s*:\\s*\"([^\"]+)\"");
        String port = first(cmd, "addr\\.port=(\\d+)", "\"port\"\\s*:\\s*\"?(\\d+)");
        String name = first(cmd, "--export\\s+(?:\\S*,)?name=([^,\\s]+)", "\"type\"\\s*:\\s*\"nbd\"[^}]*?\"name\"\\s*:\\s*\"([^\"]+)\"",
            "\"name\"\\s*:\\s*\"([^\"]+)\"[^}]*?\"type\"\\s*:\\s*\"nbd\"");
        found.add(new Export(Long.parseLong(p.getFileName().toString()), host, port == null ? -1 : Integer.parseInt(port),
            name, cmd.strip()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** The running export whose command line names {@code volumeId}, or null. */
  public static Export of(String volumeId) {
    return running().stream().filter(e -> e.commandLine().contains(volumeId)).findFirst().orElse(null);
  }

  private static String first(String text, String... regexes) {
    for (String r : regexes) {
      String v = find(text, r);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : null;
  }

  /**
   * Reads the first 512 bytes of the export with qemu-io over plain NBD (no TLS). The result's
   * stdout holds qemu-io's hex dump (with the ASCII column) when the server let it read.
   */
  public static Shell.Result readPlain(Export e) {
    return readPlainFrom(null, e);
  }

  /** As {@link #readPlain}, from network namespace {@code namespace} (another host), or this one when null. */
  public static Shell.Result readPlainFrom(String namespace, Export e) {
    return qemuIo(namespace, "driver=nbd,server.type=inet,server.host=" + e.host() + ",server.port=" + e.port() + ",export="
        + e.name(), List.of());
  }

  /**
   * The same read over NBD with TLS, presenting {@code cert} and {@code key} and trusting
   * {@code caCert} for the server's certificate (QEMU's tls-creds-x509 wants them as
   * ca-cert.pem, client-cert.pem and client-key.pem in one folder, made under {@code work}).
   */
  public static Shell.Result readWithTls(Export e, Path caCert, Path cert, Path key, Path work) {
    return readWithTlsFrom(null, e, caCert, cert, key, work);
  }

  /** As {@link #readWithTls}, from network namespace {@code namespace} (another host), or this one when null. */
  public static Shell.Result readWithTlsFrom(String namespace, Export e, Path caCert, Path cert, Path key, Path work) {
    try {
      Path dir = Files.createTempDirectory(work, "nbd-tls-");
      Files.copy(caCert, dir.resolve("ca-cert.pem"));
      Files.copy(cert, dir.resolve("client-cert.pem"));
      Files.copy(key, dir.resolve("client-key.pem"));
      Files.setPosixFilePermissions(dir.resolve("client-key.pem"), PosixFilePermissions.fromString("rw-------"));
      return qemuIo(namespace, "driver=nbd,server.type=inet,server.host=" + e.host() + ",server.port=" + e.port() + ",export=" + e.name()
          + ",tls-creds=tls0", List.of("--object", "tls-creds-x509,id=tls0,endpoint=client,verify-peer=on,dir=" + dir));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static Shell.Result qemuIo(String namespace, String imageOpts, List<String> objects) {
    List<String> cmd = new ArrayList<>(namespace == null ? List.of() : List.of("ip", "netns", "exec", namespace));
    cmd.add("qemu-io");
    cmd.addAll(objects);
    cmd.addAll(List.of("-r", "--image-opts", "-c", "read -v 0 512", imageOpts));
    return Shell.run(cmd, Map.of(), null, Duration.ofSeconds(60));
  }

  /** The text of qemu-io's "read -v" hex dump: the ASCII column of each line, joined. */
  public static String asciiOf(Shell.Result read) {
    StringBuilder sb = new StringBuilder();
    for (String line : read.stdout().lines().toList()) {
      Matcher m = Pattern.compile("^[0-9a-f]{8}:\\s+(?:[0-9a-f]{2}\\s+){1,16}\\s*(.*)$").matcher(line);
      if (m.find()) {
        sb.append(m.group(1));
      }
    }
    return sb.toString();
  }
}
