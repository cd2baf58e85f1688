package com.eucalyptus.walrus.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.auth.Hmacs;
import com.eucalyptus.walrus.S3Exception;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The client vectors sent byte for byte over a socket to a real Jetty, whose servlet runs the
 * authenticator and reads the payload: raw URIs, headers and bodies as the container hands them
 * over. Here botocore's trailer uploads come as it sends them, with the aws-chunked framing as the
 * HTTP chunked framing (the container removes it; the checksum is an HTTP trailer field), and the
 * chunk-signed bodies also wrapped in HTTP chunks (a body of unknown length), besides their
 * Content-Length form.
 */
class JettyRoundTripTest {
  private static final Map<String, S3RequestTarget> TARGETS = new ConcurrentHashMap<>();
  private static final Map<String, IOException> OUTCOMES = new ConcurrentHashMap<>();
  private static Server server;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    SignatureAuthenticator auth = new SignatureAuthenticator(new TestUsers(ClientVectors.alice()),
        Clock.fixed(ClientVectors.now(), ZoneOffset.UTC), "eucalyptus");
    server = new Server();
    // S3 keys may hold '%' (sent as %25) and other characters Jetty 12 calls ambiguous by default
    HttpConfiguration http = new HttpConfiguration();
    http.setUriCompliance(UriCompliance.UNSAFE);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.getServletHandler().setDecodeAmbiguousURIs(true);
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String answer;
        try {
          AuthResult r = auth.authenticate(req, TARGETS.get(req.getHeader("x-test-case")));
          byte[] payload = r.payload().readAllBytes();
          answer = r.user().map(WalrusUser::name).orElse("anonymous") + " " + Hmacs.sha256Hex(payload);
        } catch (S3Exception e) {
          answer = e.status() + " " + e.code();
        } catch (PayloadVerificationException e) {
          answer = e.error().status() + " " + e.error().code();
        } catch (IOException e) {
          OUTCOMES.put(req.getHeader("x-test-case"), e); // the client went away: nobody to answer
          throw e;
        }
        resp.setStatus(200);
        resp.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
      }
    }), "/*");
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  private record Raw(String method, String path, List<String[]> headers, byte[] body) {}

  private static String send(String id, S3RequestTarget target, Raw r) throws IOException {
    return send(id, target, r, r.body().length);
  }

  /** Sends the request with only {@code bodyBytes} of its body, then closes the connection's sending side. */
  private static String send(String id, S3RequestTarget target, Raw r, int bodyBytes) throws IOException {
    TARGETS.put(id, target);
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder(r.method() + " " + r.path() + " HTTP/1.1\r\n");
    boolean length = false;
    boolean chunked = false;
    for (String[] h : r.headers()) {
      if (h[0].equalsIgnoreCase("Expect")) {
        continue; // the body follows at once
      }
      length |= h[0].equalsIgnoreCase("Content-Length");
      chunked |= h[0].equalsIgnoreCase("Transfer-Encoding");
      head.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    if (!length && !chunked) {
      head.append("Content-Length: ").append(r.body().length).append("\r\n");
    }
    head.append("x-test-case: ").append(id).append("\r\nConnection: close\r\n\r\n");
    req.write(head.toString().getBytes(StandardCharsets.UTF_8));
    req.write(r.body(), 0, bodyBytes);
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(req.toByteArray());
      out.flush();
      if (bodyBytes < r.body().length) {
        s.shutdownOutput();
      }
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!response.startsWith("HTTP/1.1 200")) {
        return response.lines().findFirst().orElse("");
      }
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }

  /** The aws-chunked bytes wrapped in HTTP chunks of {@code size} bytes. */
  private static byte[] httpChunked(byte[] body, int size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int off = 0; off < body.length; off += size) {
      int n = Math.min(size, body.length - off);
      out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, off, n);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @TestFactory
  Stream<DynamicTest> everyVectorThroughJetty() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    int i = 0;
    for (ClientVectors.Vector v : ClientVectors.requests()) {
      String name = v.name();
      Raw raw = new Raw(v.method(), v.path(), v.headers(), v.body());
      S3RequestTarget target = v.target();
      byte[] expect = v.expectPayload();
      boolean lie = v.checksumLie();
      String id = "v" + i++;
      String expected = lie ? "400 BadDigest" : "alice " + Hmacs.sha256Hex(expect);
      tests.add(DynamicTest.dynamicTest(name, () -> assertEquals(expected, send(id, target, raw))));
      boolean chunkSigned = raw.headers().stream().anyMatch(h -> h[0].equalsIgnoreCase("x-amz-content-sha256")
          && h[1].startsWith("STREAMING-")) && raw.headers().stream().anyMatch(h -> h[0].equalsIgnoreCase("Content-Length"));
      if (chunkSigned) {
        List<String[]> headers = new ArrayList<>();
        for (String[] h : raw.headers()) {
          if (!h[0].equalsIgnoreCase("Content-Length")) {
            headers.add(h);
          }
        }
        headers.add(new String[] {"Transfer-Encoding", "chunked"});
        Raw wrapped = new Raw(raw.method(), raw.path(), headers, httpChunked(raw.body(), 1000));
        String id2 = "v" + i++;
        tests.add(DynamicTest.dynamicTest(name + ", wrapped in HTTP chunks",
            () -> assertEquals(expected, send(id2, target, wrapped))));
      }
      if (raw.body().length > 100 && !lie) {
        String id4 = "v" + i++;
        tests.add(DynamicTest.dynamicTest(name + ", client gone half-way", () -> {
          send(id4, target, raw, raw.body().length / 2);
          for (int wait = 0; wait < 100 && !OUTCOMES.containsKey(id4); wait++) {
            Thread.sleep(50);
          }
          IOException e = OUTCOMES.get(id4);
          assertTrue(e != null && !(e instanceof PayloadVerificationException), String.valueOf(e));
        }));
      }
      boolean botocoreTrailer = raw.headers().stream().anyMatch(h -> h[0].equalsIgnoreCase("Transfer-Encoding"));
      if (botocoreTrailer) {
        String text = new String(raw.body(), StandardCharsets.ISO_8859_1);
        int at = text.indexOf("x-amz-checksum-") ;
        int colon = text.indexOf(':', at);
        byte[] otherSum = raw.body().clone();
        otherSum[colon + 2] = (byte) (otherSum[colon + 2] == 'A' ? 'B' : 'A');
        String id3 = "v" + i++;
        tests.add(DynamicTest.dynamicTest(name + ", another checksum in the HTTP trailer",
            () -> assertEquals("400 BadDigest", send(id3, target, new Raw(raw.method(), raw.path(), raw.headers(),
                otherSum)))));
      }
    }
    return tests.stream();
  }

  /**
   * Object bytes that look like an aws-chunked chunk header ("1\r\n2\r\n..."), sent the botocore
   * way (the aws-chunked framing is the HTTP framing): taken as data, not as a second framing.
   */
  @org.junit.jupiter.api.Test
  void dataThatLooksLikeAChunkHeaderIsData() throws Exception {
    byte[] data = "1\r\n2\r\n3\r\n4\r\n".getBytes(StandardCharsets.US_ASCII);
    var crc = com.eucalyptus.walrus.auth.payload.ChecksumAlgorithm.CRC32.newDigest();
    crc.update(data, 0, data.length);
    byte[] body = (Integer.toHexString(data.length) + "\r\n1\r\n2\r\n3\r\n4\r\n\r\n0\r\nx-amz-checksum-crc32:" + crc.base64()
        + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    List<String[]> headers = List.of(new String[] {"Host", "127.0.0.1:8773"},
        new String[] {"Transfer-Encoding", "chunked"}, new String[] {"Content-Encoding", "aws-chunked"},
        new String[] {"x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
        new String[] {"x-amz-trailer", "x-amz-checksum-crc32"},
        new String[] {"x-amz-decoded-content-length", String.valueOf(data.length)});
    assertEquals("anonymous " + Hmacs.sha256Hex(data), send("csv", new S3RequestTarget("bucket", "numbers.csv", false,
        "/services/Walrus"), new Raw("PUT", "/services/Walrus/bucket/numbers.csv", headers, body)));
  }
}
