package com.eucalyptus.runtime.exec;

import com.eucalyptus.runtime.logging.DaemonLogging;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The one way the daemons run host commands (iptables, ip, brctl, dhcpd, lvm, vblade, losetup,
 * …). Every command is logged (logger euca.commands: httpd-cc_error_log, httpd-nc_error_log, the
 * CLC's cloud-output.log) with its exit code and output, so a
 * failure in a log always says exactly what was run.
 */
public class CommandRunner {
  private static final Logger COMMANDS = LogManager.getLogger(DaemonLogging.COMMANDS_LOGGER);
  private final Duration defaultTimeout;

  public CommandRunner() {
    this(Duration.ofMinutes(5));
  }

  public CommandRunner(Duration defaultTimeout) {
    this.defaultTimeout = defaultTimeout;
  }

  public CommandResult run(String... command) {
    return run(List.of(command), null, defaultTimeout);
  }

  public CommandResult run(List<String> command) {
    return run(command, null, defaultTimeout);
  }

  /**
   * Runs {@code command} (no shell), feeding {@code stdin} if given, and waits at most
   * {@code timeout}; a command that overruns is killed and reported with exit code 124, like
   * timeout(1).
   */
  public CommandResult run(List<String> command, byte[] stdin, Duration timeout) {
    List<String> cmd = List.copyOf(command);
    Process process;
    try {
      process = new ProcessBuilder(cmd).start();
    } catch (IOException e) {
      CommandResult r = new CommandResult(cmd, -1, "", String.valueOf(e.getMessage()));
      log(r);
      return r;
    }
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try {
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin);
        }
      } catch (IOException ignored) {
        // the command may exit without reading its input; its exit code tells the story
      }
      int code;
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        code = process.exitValue();
      } else {
        process.destroyForcibly();
        process.waitFor();
        code = 124;
      }
      CommandResult r = new CommandResult(cmd, code, out.join(), err.join());
      log(r);
      return r;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", cmd), e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        stream.transferTo(buf);
        return buf.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static void log(CommandResult r) {
    String line = "exec: " + String.join(" ", r.command()) + " => exit " + r.exitCode();
    StringBuilder sb = new StringBuilder(line);
    if (!r.stdout().isBlank()) {
      sb.append("\n  stdout: ").append(r.stdout().strip().replace("\n", "\n          "));
    }
    if (!r.stderr().isBlank()) {
      sb.append("\n  stderr: ").append(r.stderr().strip().replace("\n", "\n          "));
    }
    if (r.succeeded()) {
      COMMANDS.info(sb);
    } else {
      COMMANDS.warn(sb);
    }
  }
}
