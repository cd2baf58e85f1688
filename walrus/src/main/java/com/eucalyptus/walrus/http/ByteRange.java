package com.eucalyptus.walrus.http;

import com.eucalyptus.walrus.S3Exception;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Range header resolved against an object's size. S3 serves one range: "bytes=a-b",
 * "bytes=a-" or "bytes=-n" (the last n bytes); a header it cannot parse, or with several ranges, is
 * ignored (the whole object is sent); a range starting at or after the end is 416 InvalidRange.
 */
public record ByteRange(long first, long last) {
  public long length() {
    return last - first + 1;
  }

  /** @return null when the whole object is to be sent */
  public static ByteRange parse(String header, long size) throws S3Exception {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
      return null;
    }
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    try {
      if (a.isEmpty()) {
        if (b.isEmpty()) {
          return null;
        }
        long n = Long.parseLong(b);
        if (n <= 0 || size == 0) {
          throw unsatisfiable();
        }
        return new ByteRange(Math.max(0, size - n), size - 1);
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? size - 1 : Long.parseLong(b);
      if (first < 0) {
        return null;
      }
      if (first >= size) {
        throw unsatisfiable();
      }
      if (last < first) {
        return null;
      }
      return new ByteRange(first, Math.min(last, size - 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static final Pattern COPY_RANGE = Pattern.compile("bytes=(\\d{1,18})-(\\d{1,18})");

  /**
   * UploadPartCopy's x-amz-copy-source-range, which S3 reads more strictly than a GET's Range:
   * only "bytes=first-last" (no suffix, no open end), and a range that does not lie wholly inside
   * the source is refused (400 InvalidArgument), never cut short to a smaller part.
   */
  public static ByteRange parseCopySourceRange(String header, long size) throws S3Exception {
    Matcher m = COPY_RANGE.matcher(header.trim());
    if (!m.matches()) {
      throw new S3Exception(400, "InvalidArgument",
          "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the"
              + " zero-based offsets of the first and last bytes to copy");
    }
    long first = Long.parseLong(m.group(1));
    long last = Long.parseLong(m.group(2));
    if (first > last || last >= size) {
      throw new S3Exception(400, "InvalidArgument", "Range specified is not valid for source object of size: " + size);
    }
    return new ByteRange(first, last);
  }

  private static S3Exception unsatisfiable() {
    return new S3Exception(416, "InvalidRange", "The requested range is not satisfiable");
  }
}
