package com.eucalyptus.runtime.auth;

import java.nio.charset.StandardCharsets;

/** Percent-encoding as AWS signatures use it: unreserved characters kept, everything else %XX. */
public final class Rfc3986 {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Rfc3986() {
  }

  /** Encodes {@code s} (UTF-8); with {@code keepSlash} a '/' stays as it is (for paths). */
  public static String encode(String s, boolean keepSlash) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
          || c == '~' || (keepSlash && c == '/')) {
        sb.append(c);
      } else {
        sb.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
      }
    }
    return sb.toString();
  }
}
