package com.eucalyptus.walrus.ops;

import com.eucalyptus.walrus.S3Exception;
import java.util.regex.Pattern;

/**
 * S3's bucket naming rules (the DNS-compatible ones, so every bucket also works virtual-hosted):
 * 3-63 characters of lower-case letters, digits, '.' and '-', starting and ending with a letter or
 * digit, no ".." / ".-" / "-.", not an IP address.
 */
public final class BucketNames {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  private BucketNames() {}

  public static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches() && !name.contains("..") && !name.contains(".-")
        && !name.contains("-.") && !IP.matcher(name).matches();
  }

  public static void check(String name) throws S3Exception {
    if (!valid(name)) {
      throw new S3Exception(400, "InvalidBucketName", "The specified bucket is not valid.");
    }
  }
}
