package com.eucalyptus.walrus.http;

import com.eucalyptus.walrus.S3Exception;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The conditional GET/HEAD headers, in S3's order: If-Match (412), If-Unmodified-Since (412,
 * unless If-Match held), If-None-Match (304), If-Modified-Since (304, unless If-None-Match was
 * sent). Dates compare at whole seconds; an unparsable date is ignored.
 */
public final class Conditions {
  private Conditions() {}

  /** Thrown for 304: not an error document, just the status. */
  public static final class NotModified extends Exception {
    public NotModified() {
      super("Not Modified", null, false, false);
    }
  }

  public static void check(String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince,
      String etag, long lastModifiedMillis) throws S3Exception, NotModified {
    long lastModified = lastModifiedMillis / 1000;
    if (ifMatch != null) {
      if (!etagMatches(ifMatch, etag)) {
        throw failed();
      }
    } else if (ifUnmodifiedSince != null) {
      Long t = seconds(ifUnmodifiedSince);
      if (t != null && lastModified > t) {
        throw failed();
      }
    }
    if (ifNoneMatch != null) {
      if (etagMatches(ifNoneMatch, etag)) {
        throw new NotModified();
      }
    } else if (ifModifiedSince != null) {
      Long t = seconds(ifModifiedSince);
      if (t != null && lastModified <= t) {
        throw new NotModified();
      }
    }
  }

  static boolean etagMatches(String header, String etag) {
    String bare = unquote(etag);
    for (String candidate : header.split(",")) {
      String c = candidate.trim();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.equals("*") || unquote(c).equals(bare)) {
        return true;
      }
    }
    return false;
  }

  static String unquote(String s) {
    String t = s.trim();
    return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
  }

  static Long seconds(String httpDate) {
    try {
      return ZonedDateTime.parse(httpDate.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static S3Exception failed() {
    return new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
  }
}
