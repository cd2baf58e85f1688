package com.eucalyptus.nc.images;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * Stands in for Walrus's image service (GetDecryptedImage has its own tests in the walrus
 * module): serves, under /services/Walrus/BUCKET/NAME.manifest.xml, a manifest on a plain GET and
 * the image (gzipped when IsCompressed=true) on a GET with EucaOperation: GetDecryptedImage. Like
 * Walrus it checks the node's signature (EucaCert must be the trusted certificate, EucaSignature
 * RSA-SHA1 over "GET\nDATE\nPATH\n") and answers 403 otherwise. Faults can be injected: the next
 * N image answers fail with 500, or are cut short.
 */
public final class WalrusImageStandIn implements AutoCloseable {
  private final HttpServer server;
  private final X509Certificate trusted;
  private final Map<String, Path> images = new ConcurrentHashMap<>();
  private final Map<String, String> manifestExtra = new ConcurrentHashMap<>();
  public final AtomicInteger imageGets = new AtomicInteger();
  public final AtomicInteger manifestGets = new AtomicInteger();
  public final AtomicInteger failNextImageGets = new AtomicInteger();
  public final AtomicInteger truncateNextImageGets = new AtomicInteger();
  public final List<String> refusals = new CopyOnWriteArrayList<>();

  public WalrusImageStandIn(X509Certificate trusted) throws IOException {
    this.trusted = trusted;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/services/Walrus/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
  }

  /** Serves {@code file} as bucket/name.manifest.xml and returns that manifest's URL. */
  public URI publish(String bucket, String name, Path file) {
    String path = "/services/Walrus/" + bucket + "/" + name + ".manifest.xml";
    images.put(path, file);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Changes the manifest text of {@code url} (as re-bundling an image would). */
  public void changeManifest(URI url, String extra) {
    manifestExtra.put(url.getPath(), extra);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      Path file = images.get(path);
      if (file == null) {
        reply(ex, 404, "<Error><Code>NoSuchKey</Code></Error>".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String why = checkSignature(ex, path);
      if (why != null) {
        refusals.add(why);
        reply(ex, 403, ("<Error><Code>AccessDenied</Code><Message>" + why + "</Message></Error>").getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] image = Files.readAllBytes(file);
      if (!"GetDecryptedImage".equals(ex.getRequestHeaders().getFirst("EucaOperation"))) {
        manifestGets.incrementAndGet();
        String manifest = "<?xml version=\"1.0\"?><manifest><version>2007-10-10</version><image><name>" + file.getFileName()
            + "</name><size>" + image.length + "</size>" + manifestExtra.getOrDefault(path, "") + "</image></manifest>";
        reply(ex, 200, manifest.getBytes(StandardCharsets.UTF_8));
        return;
      }
      imageGets.incrementAndGet();
      if (failNextImageGets.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        reply(ex, 500, "<Error><Code>InternalError</Code></Error>".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (truncateNextImageGets.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        image = java.util.Arrays.copyOf(image, image.length / 2);
      }
      boolean compressed = String.valueOf(ex.getRequestURI().getRawQuery()).contains("IsCompressed=true");
      byte[] body = image;
      if (compressed) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
          gz.write(image);
        }
        body = b.toByteArray();
      }
      reply(ex, 200, body);
    }
  }

  private String checkSignature(HttpExchange ex, String path) {
    try {
      var h = ex.getRequestHeaders();
      if (!"Euca".equals(h.getFirst("Authorization"))) {
        return "no Authorization: Euca";
      }
      String pem = new String(Base64.getDecoder().decode(h.getFirst("EucaCert")), StandardCharsets.US_ASCII);
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (!cert.equals(trusted)) {
        return "EucaCert is not a node certificate";
      }
      Signature rsa = Signature.getInstance("SHA1withRSA");
      rsa.initVerify(cert);
      rsa.update(("GET\n" + h.getFirst("Date") + "\n" + path + "\n").getBytes(StandardCharsets.UTF_8));
      return rsa.verify(Base64.getDecoder().decode(h.getFirst("EucaSignature"))) ? null : "EucaSignature does not verify";
    } catch (Exception e) {
      return "bad authentication headers: " + e;
    }
  }

  private static void reply(HttpExchange ex, int code, byte[] body) throws IOException {
    ex.sendResponseHeaders(code, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
