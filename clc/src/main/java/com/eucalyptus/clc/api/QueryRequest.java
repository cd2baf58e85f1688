package com.eucalyptus.clc.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One EC2 Query request as it arrived: method, Host header, path, the parameters of the query
 * string and the form body (raw, so a v4 signature can hash the payload), and the headers.
 */
public record QueryRequest(String method, String host, String path, String rawQuery, byte[] body,
    Map<String, String> params, Map<String, String> headers) {

  /** Parses {@code a=b&c=d} (form or query string) into {@code into}; the first value of a name wins. */
  public static void parseForm(String text, Map<String, String> into) {
    if (text == null || text.isEmpty()) {
      return;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      into.putIfAbsent(k, v);
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  public static QueryRequest of(String method, String host, String path, String rawQuery, byte[] body,
      String contentType, Map<String, String> headers) {
    Map<String, String> params = new LinkedHashMap<>();
    parseForm(rawQuery, params);
    if (body.length > 0 && (contentType == null || contentType.startsWith("application/x-www-form-urlencoded"))) {
      parseForm(new String(body, StandardCharsets.UTF_8), params);
    }
    return new QueryRequest(method, host, path, rawQuery == null ? "" : rawQuery, body, Collections.unmodifiableMap(params),
        headers);
  }

  public String param(String name) {
    return params.get(name);
  }

  public String required(String name) {
    String v = params.get(name);
    if (v == null || v.isEmpty()) {
      throw Ec2Exception.missingParameter(name);
    }
    return v;
  }

  /** Header by lower-case name. */
  public String header(String lowerName) {
    return headers.get(lowerName);
  }
}
