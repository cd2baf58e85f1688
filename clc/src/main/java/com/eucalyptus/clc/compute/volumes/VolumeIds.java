package com.eucalyptus.clc.compute.volumes;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.function.Predicate;

/** Volume ids as 1.5.2 made them: {@code vol-} and 8 upper-case hex digits, drawn at random. */
public final class VolumeIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private VolumeIds() {
  }

  public static String newVolumeId(Predicate<String> taken) {
    while (true) {
      String id = "vol-" + String.format(Locale.ROOT, "%08X", RANDOM.nextInt());
      if (!taken.test(id)) {
        return id;
      }
    }
  }

  /** Whether {@code id} looks like a volume id. */
  public static boolean isVolumeId(String id) {
    return id != null && id.matches("vol-[0-9A-Fa-f]{8}");
  }
}
