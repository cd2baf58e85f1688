package com.eucalyptus.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL server (Debian's postgresql-15) started by the test in a temp folder on a free
 * loopback port, run as the postgres user as initdb requires, and stopped afterwards.
 */
public final class PostgresServer implements AutoCloseable {
  private static final String BIN = "/usr/lib/postgresql/15/bin/";
  private final Path dir;
  private final int port;

  private PostgresServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static PostgresServer start(String database) {
    try {
      Path dir = Files.createTempDirectory("euca-pg-");
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      asPostgres(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
      PostgresServer pg = new PostgresServer(dir, port);
      asPostgres(List.of(BIN + "initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres"), true);
      asPostgres(List.of(BIN + "pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(),
          "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "-w", "start"), true);
      asPostgres(List.of(BIN + "createdb", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", database), true);
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  private static void asPostgres(List<String> cmd, boolean runAsPostgres) {
    List<String> full = runAsPostgres ? new java.util.ArrayList<>(List.of("runuser", "-u", "postgres", "--")) : new java.util.ArrayList<>();
    full.addAll(cmd);
    Shell.run(full, Map.of(), Path.of("/"), Duration.ofMinutes(2)).assertOk();
  }

  @Override
  public void close() {
    Shell.run(List.of("runuser", "-u", "postgres", "--", BIN + "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast",
        "-w", "stop"), Map.of(), Path.of("/"), Duration.ofMinutes(1));
    Shell.run(List.of("rm", "-rf", dir.toString()), Map.of(), Path.of("/"), Duration.ofMinutes(1));
  }
}
