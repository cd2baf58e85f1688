package com.eucalyptus.walrus.ops;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** HTTP dates as S3 writes them (Last-Modified): "Tue, 03 Jun 2008 11:05:30 GMT". */
public final class HttpDates {
  private static final DateTimeFormatter RFC1123 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private HttpDates() {}

  public static String format(long millis) {
    return RFC1123.format(Instant.ofEpochMilli(millis));
  }
}
