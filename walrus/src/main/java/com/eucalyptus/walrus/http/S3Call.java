package com.eucalyptus.walrus.http;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.AuthResult;
import com.eucalyptus.walrus.auth.S3RequestTarget;
import com.eucalyptus.walrus.auth.WalrusUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One S3 request being answered: the HTTP exchange, its target, query, caller and payload. */
public final class S3Call {
  public final HttpServletRequest req;
  public final HttpServletResponse resp;
  public final S3RequestTarget target;
  public final String requestId;
  private final Map<String, String> query;
  private AuthResult auth;

  public S3Call(HttpServletRequest req, HttpServletResponse resp, S3RequestTarget target, String requestId) throws S3Exception {
    this.req = req;
    this.resp = resp;
    this.target = target;
    this.requestId = requestId;
    this.query = parseQuery(req.getQueryString());
  }

  static Map<String, String> parseQuery(String raw) throws S3Exception {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String part : raw.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      try {
        String name = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
        q.putIfAbsent(name, value);
      } catch (IllegalArgumentException e) {
        throw new S3Exception(400, "InvalidArgument", "malformed query string");
      }
    }
    return q;
  }

  public void authenticated(AuthResult auth) {
    this.auth = auth;
  }

  public Optional<WalrusUser> user() {
    return auth == null ? Optional.empty() : auth.user();
  }

  public Optional<String> callerId() {
    return user().map(WalrusUser::canonicalId);
  }

  /** The caller, or 403 AccessDenied for an anonymous request. */
  public WalrusUser requireUser() throws S3Exception {
    return user().orElseThrow(() -> new S3Exception(403, "AccessDenied", "Access Denied"));
  }

  /** The decoded payload (signatures and checksums are checked as it is read). */
  public InputStream body() throws IOException {
    return auth != null ? auth.payload() : req.getInputStream();
  }

  /** The decoded payload length, or -1 when unknown. */
  public long bodyLength() {
    if (auth != null) {
      return auth.payloadLength();
    }
    return req.getContentLengthLong();
  }

  /** Reads a small XML body whole; more than {@code max} bytes is refused. */
  public byte[] smallBody(int max) throws IOException, S3Exception {
    byte[] b = body().readNBytes(max + 1);
    if (b.length > max) {
      throw new S3Exception(400, "MaxMessageLengthExceeded", "Your request was too big.");
    }
    return b;
  }

  public String header(String name) {
    return req.getHeader(name);
  }

  public boolean has(String param) {
    return query.containsKey(param);
  }

  public String q(String param) {
    return query.get(param);
  }

  public Map<String, String> query() {
    return query;
  }

  public void xml(int status, String xml) throws IOException {
    byte[] b = xml.getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setHeader("Content-Type", "application/xml");
    resp.setContentLengthLong(b.length);
    if (!req.getMethod().equals("HEAD")) {
      try (OutputStream out = resp.getOutputStream()) {
        out.write(b);
      }
    }
  }

  public void empty(int status) {
    resp.setStatus(status);
    resp.setContentLengthLong(0);
  }
}
