package com.eucalyptus.itests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a real program for a test and keeps what it printed. */
public final class Shell {
  private Shell() {
  }

  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public Result assertOk() {
      if (exitCode != 0) {
        throw new AssertionError("command failed (exit " + exitCode + "): " + String.join(" ", command)
            + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      return this;
    }

    public String all() {
      return stdout + stderr;
    }
  }

  public static Result run(List<String> command, Map<String, String> env, Path dir, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (env != null) {
      pb.environment().putAll(env);
    }
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process p = pb.start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command));
      }
      return new Result(List.copyOf(command), p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Result run(Map<String, String> env, String... command) {
    return run(List.of(command), env, null, Duration.ofMinutes(3));
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
