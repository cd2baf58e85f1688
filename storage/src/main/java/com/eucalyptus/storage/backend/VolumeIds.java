package com.eucalyptus.storage.backend;

import java.util.regex.Pattern;

/**
 * Volume ids become file names, export names and pid-file names, so only plain names are
 * accepted (1.5.2's are {@code vol-XXXXXXXX}): no path separators, no leading dot.
 */
public final class VolumeIds {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  private VolumeIds() {
  }

  public static boolean isPlain(String volumeId) {
    return volumeId != null && PLAIN.matcher(volumeId).matches();
  }

  /** Returns {@code volumeId}, or throws IllegalArgumentException naming it when it is not plain. */
  public static String check(String volumeId) {
    if (!isPlain(volumeId)) {
      throw new IllegalArgumentException("not a volume id: " + volumeId);
    }
    return volumeId;
  }
}
