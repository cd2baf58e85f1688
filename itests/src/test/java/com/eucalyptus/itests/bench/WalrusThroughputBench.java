package com.eucalyptus.itests.bench;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.S3Http;
import com.eucalyptus.itests.support.WalrusCloud;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Walrus PUT and GET throughput against the real CLC started from its init.d script, for 1 MB and
 * 256 MB objects, one stream and 8 in parallel, beside a raw baseline measured in the same run:
 * the same bytes through a plain loopback socket into a file in the folder that holds the bukkits
 * (forced to disk, as an acknowledged object must be), and read back out through a socket.
 * Run by bench/walrus; prints one line per case.
 */
public final class WalrusThroughputBench {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public static void main(String[] args) throws Exception {
    int smallCount = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    try (CloudInstallation cloud = WalrusCloud.startClcOnly("bench-walrus")) {
      Credentials admin = CloudInstallation.readEucarc(cloud.credentials("admin"));
      Path rawDir = WalrusCloud.bukkits(cloud).resolveSibling("bench-raw");
      Files.createDirectories(rawDir);
      byte[] small = new byte[1 << 20];
      byte[] large = new byte[256 << 20];
      new Random(1).nextBytes(small);
      new Random(2).nextBytes(large);
      check(S3Http.put(admin, "/bench", new byte[0]));

      try (RawServer raw = new RawServer(rawDir)) {
        System.out.printf("%-4s %-7s %-8s %8s %12s %12s%n", "op", "object", "streams", "objects", "Walrus MB/s",
            "raw MB/s");
        for (int[] c : new int[][] {{1, 1}, {1, 8}, {256, 1}, {256, 8}}) {
          int mb = c[0];
          int streams = c[1];
          byte[] data = mb == 1 ? small : large;
          int perStream = mb == 1 ? Math.max(1, smallCount / streams) : 1;
          double putW = run(streams, perStream, data.length, (s, i) -> put(admin, "/bench/o" + mb + "-" + s + "-" + i, data));
          double putR = run(streams, perStream, data.length, (s, i) -> raw.put("o" + mb + "-" + s + "-" + i, data));
          double getW = run(streams, perStream, data.length, (s, i) -> get(admin, "/bench/o" + mb + "-" + s + "-" + i, data.length));
          double getR = run(streams, perStream, data.length, (s, i) -> raw.get("o" + mb + "-" + s + "-" + i, data.length));
          System.out.printf("%-4s %-7s %-8d %8d %12.1f %12.1f%n", "PUT", mb + " MB", streams, streams * perStream, putW, putR);
          System.out.printf("%-4s %-7s %-8d %8d %12.1f %12.1f%n", "GET", mb + " MB", streams, streams * perStream, getW, getR);
          for (int s = 0; s < streams; s++) {
            for (int i = 0; i < perStream; i++) {
              S3Http.delete(admin, "/bench/o" + mb + "-" + s + "-" + i);
              Files.deleteIfExists(rawDir.resolve("o" + mb + "-" + s + "-" + i));
            }
          }
        }
      }
    }
  }

  interface Transfer {
    void run(int stream, int index) throws Exception;
  }

  /** MB/s over {@code streams} threads each moving {@code perStream} objects of {@code size} bytes. */
  static double run(int streams, int perStream, long size, Transfer t) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(streams);
    try {
      long t0 = System.nanoTime();
      List<Future<?>> all = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        final int stream = s;
        all.add(pool.submit(() -> {
          for (int i = 0; i < perStream; i++) {
            t.run(stream, i);
          }
          return null;
        }));
      }
      for (Future<?> f : all) {
        f.get();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return streams * perStream * (size / 1048576.0) / seconds;
    } finally {
      pool.shutdownNow();
    }
  }

  static void check(S3Http.Response r) {
    if (r.status() != 200) {
      throw new IllegalStateException(r.toString());
    }
  }

  static Map<String, String> signed(Credentials c, String method, String path) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
    h.put("Authorization", S3Http.authorization(c.accessKey(), c.secretKey(), method, path, "", h));
    return h;
  }

  static void put(Credentials c, String path, byte[] data) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(S3Http.ENDPOINT + path))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).timeout(Duration.ofMinutes(10));
    signed(c, "PUT", path).forEach(b::header);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("PUT " + path + ": " + r.statusCode() + " " + r.body());
    }
  }

  static void get(Credentials c, String path, long size) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(S3Http.ENDPOINT + path)).GET()
        .timeout(Duration.ofMinutes(10));
    signed(c, "GET", path).forEach(b::header);
    HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    long n = drain(r.body());
    if (r.statusCode() != 200 || n != size) {
      throw new IllegalStateException("GET " + path + ": " + r.statusCode() + ", " + n + " bytes");
    }
  }

  static long drain(InputStream in) throws IOException {
    try (in) {
      byte[] buf = new byte[1 << 16];
      long n = 0;
      for (int k; (k = in.read(buf)) > 0; ) {
        n += k;
      }
      return n;
    }
  }

  /**
   * The baseline: a plain loopback socket server. "P name size" then the bytes: written to
   * {@code dir/name} and forced to disk, answered with one byte; "G name" is answered with the
   * file's bytes.
   */
  static final class RawServer implements AutoCloseable {
    private final Path dir;
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    RawServer(Path dir) throws IOException {
      this.dir = dir;
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      pool.submit(this::accept);
    }

    private Void accept() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          pool.submit(() -> serve(s));
        } catch (IOException e) {
          return null;
        }
      }
      return null;
    }

    private Void serve(Socket s) throws IOException {
      try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
        String[] head = readLine(in).split(" ");
        Path file = dir.resolve(head[1]);
        if (head[0].equals("P")) {
          long left = Long.parseLong(head[2]);
          try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            while (left > 0) {
              int k = in.read(buf, 0, (int) Math.min(buf.length, left));
              if (k < 0) {
                throw new IOException("short body");
              }
              ch.write(ByteBuffer.wrap(buf, 0, k));
              left -= k;
            }
            ch.force(true);
          }
          out.write('K');
        } else {
          Files.copy(file, out);
        }
      }
      return null;
    }

    private static String readLine(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int c; (c = in.read()) != '\n'; ) {
        if (c < 0) {
          throw new IOException("eof");
        }
        sb.append((char) c);
      }
      return sb.toString();
    }

    void put(String name, byte[] data) throws IOException {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        OutputStream out = s.getOutputStream();
        out.write(("P " + name + " " + data.length + "\n").getBytes());
        out.write(data);
        out.flush();
        if (s.getInputStream().read() != 'K') {
          throw new IOException("no ack");
        }
      }
    }

    void get(String name, long size) throws IOException {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        s.getOutputStream().write(("G " + name + "\n").getBytes());
        s.getOutputStream().flush();
        if (drain(s.getInputStream()) != size) {
          throw new IOException("short read of " + name);
        }
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      pool.shutdownNow();
    }
  }
}
