package com.eucalyptus.itests.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A man in the middle for the SOAP hop between two daemons: it forwards every request to the real
 * daemon and keeps a copy, so a test can replay or tamper with a genuinely signed message.
 */
public final class SoapCaptureProxy implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public record Captured(String path, Map<String, String> headers, byte[] body) {
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final ServerSocket server;
  private final String target;
  private final List<Captured> captured = new ArrayList<>();
  private final Thread acceptor;

  /** Listens on a free local port and forwards to {@code targetBase} (e.g. http://127.0.0.1:8774). */
  public SoapCaptureProxy(String targetBase) throws IOException {
    this.server = new ServerSocket(0);
    this.target = targetBase;
    this.acceptor = new Thread(this::acceptLoop, "soap-capture-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public synchronized List<Captured> captured() {
    return List.copyOf(captured);
  }

  /** Sends {@code body} with the headers of a captured request straight to the real daemon. */
  public static HttpResponse<String> send(String targetBase, Captured c, byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(targetBase + c.path()))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    c.headers().forEach((k, v) -> {
      if (k.equals("content-type") || k.equals("soapaction")) {
        b.header(k, v);
      }
    });
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "soap-capture-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket; InputStream in = new BufferedInputStream(socket.getInputStream()); OutputStream out = socket.getOutputStream()) {
      while (true) {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
          return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
          int colon = h.indexOf(':');
          headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        byte[] body = readBody(in, headers);
        Captured c = new Captured(requestLine.split(" ")[1], headers, body);
        synchronized (this) {
          captured.add(c);
        }
        HttpResponse<byte[]> r;
        try {
          HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + c.path()))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
          headers.forEach((k, v) -> {
            if (k.equals("content-type") || k.equals("soapaction")) {
              b.header(k, v);
            }
          });
          r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
          return;
        }
        String ct = r.headers().firstValue("content-type").orElse("text/xml");
        out.write(("HTTP/1.1 " + r.statusCode() + " X\r\nContent-Type: " + ct + "\r\nContent-Length: " + r.body().length
            + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(r.body());
        out.flush();
      }
    } catch (IOException ignored) {
      // the client closed the connection
    }
  }

  private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      while (true) {
        String size = line(in);
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          for (String t = line(in); t != null && !t.isEmpty(); t = line(in)) {
            // trailers: none expected
          }
          return body.toByteArray();
        }
        body.write(in.readNBytes(n));
        line(in);
      }
    }
    int len = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    return in.readNBytes(len);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
