package com.eucalyptus.storage.backend.nbd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small client of a daemon's QMP monitor socket: the greeting, {@code qmp_capabilities},
 * then one command per line. Answers are returned as QMP's JSON text (events are skipped); part 2's
 * snapshots send {@code blockdev-backup} the same way. A daemon that does not answer within the
 * timeout counts as not answering: the socket is closed, which ends the blocked read.
 */
final class Qmp {
  private Qmp() {
  }

  /**
   * Runs {@code commands} (each a JSON object such as {@code {"execute":"query-block-exports"}})
   * and returns their answers, in order; an {@code "error"} answer is an IOException.
   */
  static List<String> run(Path socket, Duration timeout, String... commands) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    CompletableFuture<List<String>> talk = CompletableFuture.supplyAsync(() -> {
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
        OutputStream out = Channels.newOutputStream(ch);
        String greeting = in.readLine();
        if (greeting == null || !greeting.contains("\"QMP\"")) {
          throw new IOException("not a QMP greeting on " + socket + ": " + greeting);
        }
        answer(in, out, "{\"execute\":\"qmp_capabilities\"}");
        List<String> answers = new ArrayList<>();
        for (String c : commands) {
          answers.add(answer(in, out, c));
        }
        return answers;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, Qmp::ownThread);
    try {
      return talk.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new Busy("no QMP answer on " + socket + " within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("QMP on " + socket + ": " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted talking to " + socket, e);
    } finally {
      ch.close();
    }
  }

  /**
   * The socket took the connection but nothing answered in time: the daemon is busy or hung.
   * A monitor socket serves one client at a time, so another conversation (part 2's snapshot
   * job) makes the next one wait like this.
   */
  static final class Busy extends IOException {
    Busy(String message) {
      super(message);
    }
  }

  /** Each conversation blocks on a socket, so it gets a thread of its own, not a shared pool's. */
  private static void ownThread(Runnable r) {
    Thread t = new Thread(r, "qmp");
    t.setDaemon(true);
    t.start();
  }

  private static String answer(BufferedReader in, OutputStream out, String command) throws IOException {
    out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    while (true) {
      String line = in.readLine();
      if (line == null) {
        throw new IOException("QMP connection closed before the answer to " + command);
      }
      if (line.startsWith("{\"return\"")) {
        return line;
      }
      if (line.startsWith("{\"error\"")) {
        throw new IOException("QMP refused " + command + ": " + line);
      }
      // an event ({"timestamp":…,"event":…}): not an answer
    }
  }

  /** {@code s} as a JSON string literal. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
