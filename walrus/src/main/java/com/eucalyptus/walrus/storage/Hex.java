package com.eucalyptus.walrus.storage;

import java.util.HexFormat;

/** Lower-case hex, as S3 writes MD5s in ETags. */
public final class Hex {
  private Hex() {}

  public static String of(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  public static byte[] parse(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
