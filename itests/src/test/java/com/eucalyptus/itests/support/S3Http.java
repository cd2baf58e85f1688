package com.eucalyptus.itests.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A deliberately small, independent S3 REST client with signature v2 (signed the way boto 2 and
 * euca2ools sign for Walrus: the string to sign holds the full path, {@code /services/Walrus}
 * included). It sends what a real SDK never would: wrong digests, wrong secrets, bodies cut off
 * mid-way, anonymous requests, the other user's keys; and it shows the raw S3 XML answer.
 */
public final class S3Http {
  public static final String HOST = "127.0.0.1:8773";
  public static final String BASE_PATH = "/services/Walrus";
  public static final String ENDPOINT = "http://" + HOST + BASE_PATH;
  private static final Set<String> SUB_RESOURCES = Set.of("acl", "location", "logging", "torrent", "uploads",
      "uploadId", "partNumber", "versioning", "versions", "versionId", "delete", "policy", "lifecycle",
      "response-content-type", "response-content-disposition", "response-cache-control", "response-expires",
      "response-content-language", "response-content-encoding");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final DateTimeFormatter RFC1123 = DateTimeFormatter.RFC_1123_DATE_TIME;

  private S3Http() {
  }

  /** What came back: status, headers (lower-cased names), body. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase());
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The {@code <Code>} of an S3 error document, or null. */
    public String errorCode() {
      Matcher m = Pattern.compile("<Error>.*?<Code>([^<]*)</Code>", Pattern.DOTALL).matcher(text());
      return m.find() ? m.group(1) : null;
    }

    /** Every value of {@code <tag>...</tag>} in the body, in order. */
    public List<String> all(String tag) {
      List<String> out = new ArrayList<>();
      Matcher m = Pattern.compile("<" + tag + ">([^<]*)</" + tag + ">").matcher(text());
      while (m.find()) {
        out.add(xmlUnescape(m.group(1)));
      }
      return out;
    }

    @Override
    public String toString() {
      String t = text();
      return "HTTP " + status + " " + (t.length() > 2000 ? t.substring(0, 2000) + "..." : t);
    }
  }

  /** A request under construction; {@code path} is already URL-encoded ("/bucket/key"). */
  public static final class Request {
    private final String method;
    private final String path;
    private String query = "";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    private CloudInstallation.Credentials signer;

    private Request(String method, String path) {
      this.method = method;
      this.path = path;
    }

    public Request query(String q) {
      this.query = q;
      return this;
    }

    public Request header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public Request body(byte[] bytes) {
      this.body = HttpRequest.BodyPublishers.ofByteArray(bytes);
      return this;
    }

    public Request body(String text) {
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    public Request body(Path file) {
      try {
        this.body = HttpRequest.BodyPublishers.ofFile(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** Signs with these keys (v2); without it the request goes anonymous. */
    public Request as(CloudInstallation.Credentials c) {
      this.signer = c;
      return this;
    }

    public Response send() {
      if (signer != null) {
        headers.put("Date", RFC1123.format(ZonedDateTime.now(ZoneOffset.UTC)));
        headers.put("Authorization", authorization(signer.accessKey(), signer.secretKey(), method, path, query, headers));
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ENDPOINT + path + (query.isEmpty() ? "" : "?" + query)))
          .timeout(Duration.ofMinutes(5)).method(method, body);
      headers.forEach(b::header);
      try {
        HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), lower(r.headers().map()), r.body());
      } catch (IOException e) {
        throw new UncheckedIOException(method + " " + path + "?" + query, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  public static Request request(String method, String path) {
    return new Request(method, path);
  }

  public static Response get(CloudInstallation.Credentials c, String path) {
    return request("GET", path).as(c).send();
  }

  public static Response put(CloudInstallation.Credentials c, String path, byte[] body) {
    return request("PUT", path).as(c).body(body).send();
  }

  public static Response delete(CloudInstallation.Credentials c, String path) {
    return request("DELETE", path).as(c).send();
  }

  /**
   * A PUT whose body is cut off: the headers announce {@code announced} bytes, {@code sent} of
   * them go out, then the connection is closed (or, with {@code beforeClose}, that runs first with
   * the socket still open: e.g. kill -9 of the server).
   */
  public static void cutOffPut(CloudInstallation.Credentials c, String path, long announced, byte[] prefix,
      Runnable beforeClose) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Date", RFC1123.format(ZonedDateTime.now(ZoneOffset.UTC)));
    h.put("Content-Type", "application/octet-stream");
    h.put("Authorization", authorization(c.accessKey(), c.secretKey(), "PUT", path, "", h));
    StringBuilder head = new StringBuilder("PUT " + BASE_PATH + path + " HTTP/1.1\r\nHost: " + HOST + "\r\n");
    h.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("Content-Length: ").append(announced).append("\r\n\r\n");
    try (Socket s = new Socket("127.0.0.1", 8773)) {
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      for (int off = 0; off < prefix.length; off += 1 << 16) {
        out.write(prefix, off, Math.min(1 << 16, prefix.length - off));
      }
      out.flush();
      if (beforeClose != null) {
        beforeClose.run();
      } else {
        Thread.sleep(500);
      }
    } catch (IOException e) {
      // the server may already have dropped us (e.g. killed): that is the point of the test
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Signature v2 Authorization header value for this request. */
  public static String authorization(String access, String secret, String method, String path, String query,
      Map<String, String> headers) {
    String contentMd5 = "";
    String contentType = "";
    String date = "";
    TreeMap<String, String> amz = new TreeMap<>();
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String k = e.getKey().toLowerCase();
      switch (k) {
        case "content-md5" -> contentMd5 = e.getValue();
        case "content-type" -> contentType = e.getValue();
        case "date" -> date = e.getValue();
        default -> {
          if (k.startsWith("x-amz-")) {
            amz.put(k, e.getValue().trim());
          }
        }
      }
    }
    if (amz.containsKey("x-amz-date")) {
      date = "";
    }
    StringBuilder sts = new StringBuilder(method).append('\n').append(contentMd5).append('\n').append(contentType)
        .append('\n').append(date).append('\n');
    amz.forEach((k, v) -> sts.append(k).append(':').append(v).append('\n'));
    sts.append(BASE_PATH).append(path).append(subResources(query));
    return "AWS " + access + ":" + hmacSha1Base64(secret, sts.toString());
  }

  static String subResources(String query) {
    if (query == null || query.isEmpty()) {
      return "";
    }
    TreeMap<String, String> kept = new TreeMap<>();
    for (String p : query.split("&")) {
      int eq = p.indexOf('=');
      String k = eq < 0 ? p : p.substring(0, eq);
      if (SUB_RESOURCES.contains(k)) {
        kept.put(k, eq < 0 ? null : java.net.URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    if (kept.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("?");
    kept.forEach((k, v) -> sb.append(sb.length() > 1 ? "&" : "").append(k).append(v == null ? "" : "=" + v));
    return sb.toString();
  }

  public static String hmacSha1Base64(String secret, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** URL-encodes a key for a path: every byte but unreserved characters and '/'. */
  public static String encodeKey(String key) {
    StringBuilder sb = new StringBuilder();
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char ch = (char) (b & 0xff);
      if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || "-_.~/".indexOf(ch) >= 0) {
        sb.append(ch);
      } else {
        sb.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return sb.toString();
  }

  static String xmlUnescape(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
        .replace("&amp;", "&");
  }

  private static Map<String, List<String>> lower(Map<String, List<String>> in) {
    Map<String, List<String>> out = new TreeMap<>();
    in.forEach((k, v) -> out.put(k.toLowerCase(), v));
    return out;
  }
}
