package com.eucalyptus.walrus.ops;

import com.eucalyptus.walrus.http.S3Call;
import com.eucalyptus.walrus.metadata.StoredHeaders;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The headers kept with an object: taken from a PUT, given back on GET/HEAD. */
public final class ObjectHeaders {
  public static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
  private static final String META = "x-amz-meta-";

  private ObjectHeaders() {}

  public static StoredHeaders from(HttpServletRequest req) {
    StoredHeaders h = new StoredHeaders();
    String type = req.getHeader("Content-Type");
    h.contentType = type == null || type.isBlank() ? DEFAULT_CONTENT_TYPE : type;
    h.contentDisposition = req.getHeader("Content-Disposition");
    h.contentEncoding = withoutAwsChunked(req.getHeader("Content-Encoding"));
    h.contentLanguage = req.getHeader("Content-Language");
    h.cacheControl = req.getHeader("Cache-Control");
    h.expires = req.getHeader("Expires");
    Map<String, String> meta = new TreeMap<>();
    for (String name : Collections.list(req.getHeaderNames())) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith(META) && lower.length() > META.length()) {
        meta.merge(lower.substring(META.length()), req.getHeader(name), (a, b) -> a + "," + b);
      }
    }
    h.userMetadata = encode(meta);
    return h;
  }

  /** aws-chunked describes how the body was sent, not the object: S3 does not keep it. */
  static String withoutAwsChunked(String encoding) {
    if (encoding == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (String e : encoding.split(",")) {
      String t = e.trim();
      if (!t.isEmpty() && !t.equalsIgnoreCase("aws-chunked")) {
        sb.append(sb.length() == 0 ? "" : ",").append(t);
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  public static void apply(StoredHeaders h, S3Call call) {
    HttpServletResponse resp = call.resp;
    setContentType(resp, override(call, "response-content-type", h.contentType == null ? DEFAULT_CONTENT_TYPE : h.contentType));
    set(resp, "Content-Disposition", override(call, "response-content-disposition", h.contentDisposition));
    set(resp, "Content-Encoding", override(call, "response-content-encoding", h.contentEncoding));
    set(resp, "Content-Language", override(call, "response-content-language", h.contentLanguage));
    set(resp, "Cache-Control", override(call, "response-cache-control", h.cacheControl));
    set(resp, "Expires", override(call, "response-expires", h.expires));
    decode(h.userMetadata).forEach((k, v) -> resp.setHeader(META + k, v));
  }

  /**
   * Sets Content-Type exactly as stored: the servlet API's setContentType re-renders the value
   * ("text/plain; charset=UTF-8" becomes "text/plain;charset=utf-8"), S3 answers what was sent.
   */
  static void setContentType(HttpServletResponse resp, String value) {
    ServletContextResponse core = ServletContextResponse.getServletContextResponse(resp);
    if (core == null) {
      resp.setHeader("Content-Type", value);
      return;
    }
    // the fields under the servlet wrapper, which would re-render the value
    core.getWrapped().getHeaders().put(new HttpField(HttpHeader.CONTENT_TYPE, value));
  }

  private static String override(S3Call call, String param, String stored) {
    String o = call.q(param);
    return o != null ? o : stored;
  }

  private static void set(HttpServletResponse resp, String name, String value) {
    if (value != null) {
      resp.setHeader(name, value);
    }
  }

  public static String encode(Map<String, String> meta) {
    StringBuilder sb = new StringBuilder();
    meta.forEach((k, v) -> sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('\n'));
    return sb.toString();
  }

  public static Map<String, String> decode(String encoded) {
    Map<String, String> meta = new TreeMap<>();
    if (encoded == null) {
      return meta;
    }
    for (String line : encoded.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        meta.put(URLDecoder.decode(line.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(line.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return meta;
  }
}
