package com.eucalyptus.walrus.ops;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * S3's listing rule, independent of where the keys come from: keys in UTF-8 binary order, those
 * after {@code after} that start with {@code prefix}; with a delimiter, keys that contain it after
 * the prefix roll up into one CommonPrefix each; at most {@code maxKeys} entries (keys and
 * prefixes together). A CommonPrefix the marker falls inside was listed on an earlier page and is
 * skipped.
 */
public final class KeyListing {
  private KeyListing() {}

  /** UTF-8 byte order is code point order (String.compareTo is UTF-16 order, which differs). */
  public static final Comparator<String> UTF8_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  };

  public record Page<T>(List<T> contents, List<String> commonPrefixes, boolean truncated, String nextMarker) {
    public int count() {
      return contents.size() + commonPrefixes.size();
    }
  }

  public static <T> Page<T> list(Collection<T> items, Function<T, String> keyOf, String prefix, String after,
      String delimiter, int maxKeys) {
    String p = prefix == null ? "" : prefix;
    String d = delimiter == null || delimiter.isEmpty() ? null : delimiter;
    List<T> sorted = new ArrayList<>();
    for (T item : items) {
      String k = keyOf.apply(item);
      if (k.startsWith(p) && (after == null || after.isEmpty() || UTF8_ORDER.compare(k, after) > 0)) {
        sorted.add(item);
      }
    }
    sorted.sort(Comparator.comparing(keyOf, UTF8_ORDER));
    List<T> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = null;
    String lastPrefix = null;
    for (T item : sorted) {
      String k = keyOf.apply(item);
      String rollUp = null;
      if (d != null) {
        int at = k.indexOf(d, p.length());
        if (at >= 0) {
          rollUp = k.substring(0, at + d.length());
        }
      }
      if (rollUp != null) {
        if (rollUp.equals(lastPrefix) || (after != null && !after.isEmpty() && after.startsWith(rollUp))) {
          continue;
        }
      }
      if (contents.size() + prefixes.size() >= maxKeys) {
        return new Page<>(contents, prefixes, true, last);
      }
      if (rollUp != null) {
        prefixes.add(rollUp);
        lastPrefix = rollUp;
        last = rollUp;
      } else {
        contents.add(item);
        last = k;
      }
    }
    return new Page<>(contents, prefixes, false, last);
  }
}
