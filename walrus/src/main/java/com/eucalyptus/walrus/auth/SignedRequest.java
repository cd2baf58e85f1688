package com.eucalyptus.walrus.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The parts of an HTTP request that signatures cover, as the client sent them: the method, the
 * raw (still percent-encoded) path, the query parameters (decoded, in order) and the headers. The
 * query is parsed from the raw query string, never through {@code getParameter}, which would read
 * a form body.
 */
final class SignedRequest {
  /** A query parameter; {@code value} is null when the parameter had no '=' (as in {@code ?acl}). */
  record Param(String name, String value) {}

  private final HttpServletRequest request;
  private final List<Param> params;

  SignedRequest(HttpServletRequest request) {
    this.request = request;
    this.params = parseQuery(request.getQueryString());
  }

  HttpServletRequest servletRequest() {
    return request;
  }

  String method() {
    return request.getMethod();
  }

  /** The path as sent, percent-encoded, without the query. */
  String rawPath() {
    String uri = request.getRequestURI();
    return uri == null || uri.isEmpty() ? "/" : uri;
  }

  List<Param> params() {
    return params;
  }

  /** The first value of a query parameter (exact, case-sensitive name), or null. */
  String param(String name) {
    for (Param p : params) {
      if (p.name().equals(name)) {
        return p.value() == null ? "" : p.value();
      }
    }
    return null;
  }

  boolean hasParam(String name) {
    return params.stream().anyMatch(p -> p.name().equals(name));
  }

  /** The first value of a header (case-insensitive name), or null. */
  String header(String name) {
    return request.getHeader(name);
  }

  /** Every value of a header, in order. */
  List<String> headers(String name) {
    var values = request.getHeaders(name);
    return values == null ? List.of() : Collections.list(values);
  }

  /** The names of all headers, lower-cased, each once (a container may list a name in two spellings). */
  List<String> headerNames() {
    var names = request.getHeaderNames();
    if (names == null) {
      return List.of();
    }
    java.util.LinkedHashSet<String> lower = new java.util.LinkedHashSet<>();
    for (String n : Collections.list(names)) {
      lower.add(n.toLowerCase(java.util.Locale.ROOT));
    }
    return List.copyOf(lower);
  }

  static List<Param> parseQuery(String query) {
    List<Param> out = new ArrayList<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq < 0) {
        out.add(new Param(decode(pair), null));
      } else {
        out.add(new Param(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1))));
      }
    }
    return out;
  }

  /** Percent-decoding of a query name or value as UTF-8, '+' as a space (form encoding). */
  static String decode(String s) {
    return decode(s, true);
  }

  /** Percent-decoding of a path as UTF-8; '+' is a plus sign there. */
  static String decodePath(String s) {
    return decode(s, false);
  }

  /** Percent-decoding as UTF-8; a stray '%' stays as it is. */
  private static String decode(String s, boolean plusIsSpace) {
    if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
