package com.eucalyptus.walrus.http;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.S3RequestTarget;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides which requests are Walrus's and what bucket and key they name:
 * <ul>
 *   <li>{@code /services/Walrus[/bucket[/key]]} on any host (path style);
 *   <li>{@code /[bucket[/key]]} when the Host is {@code s3.<domain>} or {@code walrus.<domain>}
 *       (path style);
 *   <li>{@code /[key]} when the Host is {@code <bucket>.s3.<domain>} or
 *       {@code <bucket>.walrus.<domain>} (virtual-host style).
 * </ul>
 * Everything else is not Walrus's (the EC2 Query API answers it). Keys are percent-decoded from
 * the raw path as UTF-8; '+' stays a plus, as in S3 paths.
 */
public final class S3Router {
  public static final String SERVICE_PATH = "/services/Walrus";
  private final Supplier<String> dnsDomain;

  public S3Router(Supplier<String> dnsDomain) {
    this.dnsDomain = dnsDomain;
  }

  /**
   * @param host the Host header (may carry a port), or null
   * @param rawPath the request path as sent, still percent-encoded
   * @return the target, or empty when the request is not for Walrus
   * @throws S3Exception 400 InvalidURI when the path cannot be decoded
   */
  public Optional<S3RequestTarget> route(String host, String rawPath) throws S3Exception {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return Optional.empty();
    }
    if (rawPath.equals(SERVICE_PATH) || rawPath.startsWith(SERVICE_PATH + "/")) {
      return Optional.of(pathStyle(rawPath.substring(SERVICE_PATH.length()), SERVICE_PATH));
    }
    String bare = bareHost(host);
    String domain = dnsDomain.get().toLowerCase(Locale.ROOT);
    if (bare.isEmpty() || domain.isEmpty()) {
      return Optional.empty();
    }
    for (String service : new String[] {"s3." + domain, "walrus." + domain}) {
      if (bare.equals(service)) {
        return Optional.of(pathStyle(rawPath, ""));
      }
      if (bare.endsWith("." + service)) {
        String bucket = bare.substring(0, bare.length() - service.length() - 1);
        String key = rawPath.length() > 1 ? decode(rawPath.substring(1)) : null;
        return Optional.of(new S3RequestTarget(bucket, key, true, ""));
      }
    }
    return Optional.empty();
  }

  private static S3RequestTarget pathStyle(String rest, String prefix) throws S3Exception {
    if (rest.isEmpty() || rest.equals("/")) {
      return new S3RequestTarget(null, null, false, prefix);
    }
    String p = rest.substring(1);
    int slash = p.indexOf('/');
    if (slash < 0) {
      return new S3RequestTarget(decode(p), null, false, prefix);
    }
    String bucket = decode(p.substring(0, slash));
    String key = p.substring(slash + 1);
    return new S3RequestTarget(bucket, key.isEmpty() ? null : decode(key), false, prefix);
  }

  static String bareHost(String host) {
    if (host == null) {
      return "";
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      return h; // an IPv6 literal is never a Walrus host name
    }
    int colon = h.lastIndexOf(':');
    if (colon >= 0) {
      h = h.substring(0, colon);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /** Percent-decodes a path segment as UTF-8; malformed escapes or bytes are InvalidURI. */
  public static String decode(String s) throws S3Exception {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw invalidUri();
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw invalidUri();
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.writeBytes(b);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw invalidUri();
    }
  }

  private static S3Exception invalidUri() {
    return new S3Exception(400, "InvalidURI", "Couldn't parse the specified URI.");
  }
}
