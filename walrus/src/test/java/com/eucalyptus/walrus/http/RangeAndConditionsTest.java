package com.eucalyptus.walrus.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.eucalyptus.walrus.S3Exception;
import org.junit.jupiter.api.Test;

class RangeAndConditionsTest {
  @Test
  void ranges() throws Exception {
    assertEquals(new ByteRange(0, 9), ByteRange.parse("bytes=0-9", 100));
    assertEquals(new ByteRange(90, 99), ByteRange.parse("bytes=90-200", 100));
    assertEquals(new ByteRange(50, 99), ByteRange.parse("bytes=50-", 100));
    assertEquals(new ByteRange(80, 99), ByteRange.parse("bytes=-20", 100));
    assertEquals(new ByteRange(0, 99), ByteRange.parse("bytes=-500", 100));
    assertNull(ByteRange.parse("bytes=5-1", 100));
    assertNull(ByteRange.parse("bytes=0-1,5-6", 100));
    assertNull(ByteRange.parse("items=0-1", 100));
    assertNull(ByteRange.parse("bytes=a-b", 100));
    assertNull(ByteRange.parse(null, 100));
    assertEquals(416, assertThrows(S3Exception.class, () -> ByteRange.parse("bytes=100-", 100)).status());
    assertEquals(416, assertThrows(S3Exception.class, () -> ByteRange.parse("bytes=0-", 0)).status());
    assertEquals(416, assertThrows(S3Exception.class, () -> ByteRange.parse("bytes=-0", 100)).status());
  }

  static final long MODIFIED = 1_200_000_000_500L; // Thu, 10 Jan 2008 21:20:00.5 GMT
  static final String BEFORE = "Thu, 10 Jan 2008 21:19:59 GMT";
  static final String SAME = "Thu, 10 Jan 2008 21:20:00 GMT";

  void check(String ifMatch, String ifNoneMatch, String ims, String ius) throws Exception {
    Conditions.check(ifMatch, ifNoneMatch, ims, ius, "abc", MODIFIED);
  }

  @Test
  void conditionalHeadersInS3Order() {
    assertDoesNotThrow(() -> check("\"abc\"", null, null, null));
    assertDoesNotThrow(() -> check("*", null, null, null));
    assertEquals(412, assertThrows(S3Exception.class, () -> check("\"x\"", null, null, null)).status());
    assertThrows(Conditions.NotModified.class, () -> check(null, "\"x\", \"abc\"", null, null));
    assertDoesNotThrow(() -> check(null, "\"x\"", null, null));
    assertThrows(Conditions.NotModified.class, () -> check(null, null, SAME, null));
    assertDoesNotThrow(() -> check(null, null, BEFORE, null));
    assertEquals(412, assertThrows(S3Exception.class, () -> check(null, null, null, BEFORE)).status());
    assertDoesNotThrow(() -> check(null, null, null, SAME));
    // If-Match true wins over a failing If-Unmodified-Since; If-None-Match false wins over If-Modified-Since
    assertDoesNotThrow(() -> check("\"abc\"", null, null, BEFORE));
    assertDoesNotThrow(() -> check(null, "\"x\"", SAME, null));
    assertDoesNotThrow(() -> check(null, null, "not a date", "neither"));
  }
}
