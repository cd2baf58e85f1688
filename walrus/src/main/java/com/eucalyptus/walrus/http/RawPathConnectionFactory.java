package com.eucalyptus.walrus.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * HTTP/1.1 connections that let a path whose ".." segments climb above "/" through. S3 keys are
 * not paths ("../../x" is a fine key, and SDKs send it unencoded) but Jetty refuses such a request
 * line with a bare HTML 400 before any handler runs. Such a path is carried instead as
 * {@code /.walrus-raw-path/<base64url of the path>}, which {@link #originalPath} turns back into
 * the path the client sent; every other request line is left alone.
 */
public final class RawPathConnectionFactory extends HttpConnectionFactory {
  static final String MARKER = "/.walrus-raw-path/";

  public RawPathConnectionFactory(HttpConfiguration config) {
    super(config);
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    HttpConnection connection = new HttpConnection(getHttpConfiguration(), connector, endPoint) {
      @Override
      protected HttpConnection.RequestHandler newRequestHandler() {
        return new RequestHandler() {
          @Override
          public void startRequest(String method, String uri, HttpVersion version) {
            super.startRequest(method, protect(uri), version);
          }
        };
      }
    };
    connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
    return configure(connection, connector, endPoint);
  }

  /** The request target, or its marker form when its path climbs above "/". */
  static String protect(String uri) {
    if (uri == null || !uri.startsWith("/")) {
      return uri;
    }
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    if (!climbsAboveRoot(path)) {
      return uri;
    }
    return MARKER + Base64.getUrlEncoder().withoutPadding().encodeToString(path.getBytes(StandardCharsets.ISO_8859_1))
        + (q < 0 ? "" : uri.substring(q));
  }

  static boolean climbsAboveRoot(String path) {
    int depth = 0;
    for (String segment : path.substring(1).split("/", -1)) {
      String s = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
      if (s.equals("..")) {
        if (--depth < 0) {
          return true;
        }
      } else if (!s.equals(".")) {
        depth++;
      }
    }
    return false;
  }

  /** The path the client sent, from a path this factory may have put in marker form. */
  public static String originalPath(String requestUri) {
    if (requestUri == null || !requestUri.startsWith(MARKER)) {
      return requestUri;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(requestUri.substring(MARKER.length())), StandardCharsets.ISO_8859_1);
    } catch (IllegalArgumentException e) {
      return requestUri;
    }
  }
}
