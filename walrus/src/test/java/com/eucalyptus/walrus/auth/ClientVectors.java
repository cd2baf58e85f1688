package com.eucalyptus.walrus.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.ajax.JSON;

/**
 * client-vectors.json, made by src/test/scripts/make-client-vectors.py: requests signed by real
 * clients at a frozen time, and browser POST forms.
 */
final class ClientVectors {
  private ClientVectors() {
  }

  private static final Map<String, Object> VECTORS = load();
  private static final Instant NOW_ = Instant.ofEpochSecond(((Number) VECTORS.get("now")).longValue());
  private static final WalrusUser ALICE_ = new WalrusUser("alice", "b".repeat(64), "alice@example.com", false,
      (String) VECTORS.get("accessKey"), (String) VECTORS.get("secretKey"));

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load() {
    try (InputStream in = ClientVectors.class.getResourceAsStream("client-vectors.json")) {
      return (Map<String, Object>) new JSON().fromJSON(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One captured request. */
  record Vector(String name, String method, String path, List<String[]> headers, byte[] body,
      S3RequestTarget target, byte[] expectPayload, String bodyTamper, int tamperOffset, boolean presigned,
      long expires, boolean checksumLie) {

    TestRequest request() {
      return request(path, headers, body);
    }

    TestRequest request(String p, List<String[]> h, byte[] b) {
      TestRequest r = TestRequest.of(method, p);
      for (String[] header : h) {
        r.header(header[0], header[1]);
      }
      return r.body(b);
    }

    String header(String name) {
      return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
    }

    List<String[]> withHeader(String name, String value) {
      List<String[]> out = new ArrayList<>();
      for (String[] h : headers) {
        out.add(h[0].equalsIgnoreCase(name) ? new String[] {h[0], value} : h);
      }
      return out;
    }

    boolean chunked() {
      String sha = header("x-amz-content-sha256");
      return sha != null && sha.startsWith("STREAMING-");
    }
  }

  @SuppressWarnings("unchecked")
  static List<Vector> requests() {
    List<Vector> out = new ArrayList<>();
    for (Object o : (Object[]) VECTORS.get("cases")) {
      Map<String, Object> c = (Map<String, Object>) o;
      List<String[]> headers = new ArrayList<>();
      for (Object h : (Object[]) c.get("headers")) {
        Object[] pair = (Object[]) h;
        headers.add(new String[] {(String) pair[0], (String) pair[1]});
      }
      Map<String, Object> t = (Map<String, Object>) c.get("target");
      Base64.Decoder b64 = Base64.getDecoder();
      out.add(new Vector((String) c.get("name"), (String) c.get("method"), (String) c.get("path"), headers,
          b64.decode((String) c.get("body")),
          new S3RequestTarget((String) t.get("bucket"), (String) t.get("key"), (Boolean) t.get("virtualHosted"),
              (String) t.get("servicePrefix")),
          b64.decode((String) c.get("expectPayload")), (String) c.get("bodyTamper"),
          c.get("tamperOffset") == null ? -1 : ((Number) c.get("tamperOffset")).intValue(),
          (Boolean) c.get("presigned"), c.get("expires") == null ? 0 : ((Number) c.get("expires")).longValue(),
          Boolean.TRUE.equals(c.get("checksumLie"))));
    }
    return out;
  }

  static Map<String, Object> json() {
    return VECTORS;
  }

  /** The time the vectors were signed at. */
  static Instant now() {
    return NOW_;
  }

  /** The user who signed them. */
  static WalrusUser alice() {
    return ALICE_;
  }
}
