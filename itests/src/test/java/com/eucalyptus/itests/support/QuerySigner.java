package com.eucalyptus.itests.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A deliberately small, independent EC2 Query signature v2 client, so tests can send requests a
 * real SDK would never send (wrong signature, missing parameters, stale timestamps).
 */
public final class QuerySigner {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private QuerySigner() {
  }

  public static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
  }

  /** The v2 parameters for {@code params}, signed with {@code secret}, timestamped {@code when}. */
  public static Map<String, String> signV2(String host, String path, String access, String secret,
      Map<String, String> params, Instant when) {
    TreeMap<String, String> all = new TreeMap<>(params);
    all.put("AWSAccessKeyId", access);
    all.put("SignatureVersion", "2");
    all.put("SignatureMethod", "HmacSHA256");
    all.putIfAbsent("Version", "2009-04-04");
    all.put("Timestamp", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC).format(when));
    String query = canonical(all);
    String toSign = "GET\n" + host.toLowerCase() + "\n" + path + "\n" + query;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      all.put("Signature", Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8))));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return all;
  }

  public static String canonical(Map<String, String> params) {
    return new TreeMap<>(params).entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  public static HttpResponse<String> get(String baseUrl, Map<String, String> params) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "?" + canonical(params))).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
