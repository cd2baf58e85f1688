package com.eucalyptus.walrus.auth;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request as the servlet container would hand it over (raw URI, raw query, headers in
 * order, the body stream), without a container: the servlet layer is not what these tests test.
 * Only the accessors an authenticator may use are answered; anything else fails loudly.
 */
final class TestRequest {
  private final String method;
  private final String uri;
  private final String query;
  private final Map<String, List<String>> headers = new LinkedHashMap<>();
  private InputStream body = new ByteArrayInputStream(new byte[0]);
  private long contentLength = -1;

  private TestRequest(String method, String pathAndQuery) {
    this.method = method;
    int q = pathAndQuery.indexOf('?');
    this.uri = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    this.query = q < 0 ? null : pathAndQuery.substring(q + 1);
  }

  static TestRequest of(String method, String pathAndQuery) {
    return new TestRequest(method, pathAndQuery);
  }

  TestRequest header(String name, String value) {
    headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    return this;
  }

  TestRequest body(byte[] bytes) {
    this.body = new ByteArrayInputStream(bytes);
    this.contentLength = bytes.length;
    return this;
  }

  TestRequest body(String s) {
    return body(s.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The body stops after {@code n} of its bytes, as when the client goes away: {@code read} then
   * throws an IOException ("Early EOF", as Jetty does) or, with {@code quietly}, returns -1.
   */
  TestRequest cutAfter(int n, boolean quietly) {
    InputStream whole = body;
    this.body = new InputStream() {
      private int left = n;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left == 0) {
          if (quietly) {
            return -1;
          }
          throw new IOException("Early EOF");
        }
        int r = whole.read(b, off, Math.min(len, left));
        left -= r;
        return r;
      }
    };
    return this;
  }

  private List<String> values(String name) {
    List<String> out = new ArrayList<>();
    headers.forEach((k, v) -> {
      if (k.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        out.addAll(v);
      }
    });
    return out;
  }

  HttpServletRequest build() {
    InputStream in = body;
    ServletInputStream servletIn = new ServletInputStream() {
      @Override
      public int read() throws IOException {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return in.read(b, off, len);
      }

      @Override
      public boolean isFinished() {
        return false;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener readListener) {
        throw new UnsupportedOperationException();
      }
    };
    return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
          case "getMethod" -> method;
          case "getRequestURI" -> uri;
          case "getQueryString" -> query;
          case "getHeader" -> values((String) args[0]).stream().findFirst().orElse(null);
          case "getHeaders" -> Collections.enumeration(values((String) args[0]));
          case "getHeaderNames" -> Collections.enumeration(new ArrayList<>(headers.keySet()));
          case "getContentLengthLong" -> contentLength;
          case "getContentLength" -> (int) contentLength;
          case "getInputStream" -> servletIn;
          case "toString" -> method + " " + uri;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException("the authenticator should not need " + m.getName());
        });
  }
}
