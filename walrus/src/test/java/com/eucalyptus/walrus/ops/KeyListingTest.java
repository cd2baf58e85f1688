package com.eucalyptus.walrus.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class KeyListingTest {
  static final List<String> KEYS = List.of("photos/2006/jan/a.jpg", "photos/2006/feb/b.jpg", "photos/2007/c.jpg",
      "photos/d.jpg", "readme", "z", "\uFFFD", "\uD83D\uDE00");

  KeyListing.Page<String> list(String prefix, String after, String delimiter, int max) {
    return KeyListing.list(KEYS, Function.identity(), prefix, after, delimiter, max);
  }

  @Test
  void sortsInUtf8ByteOrder() {
    // U+FFFD is EF BF BD in UTF-8, the emoji F0 9F 98 80: the emoji sorts last (UTF-16 order says otherwise)
    List<String> all = list(null, null, null, 1000).contents();
    assertEquals("\uD83D\uDE00", all.get(all.size() - 1));
    assertEquals("\uFFFD", all.get(all.size() - 2));
  }

  @Test
  void delimiterRollsUpCommonPrefixes() {
    KeyListing.Page<String> p = list("photos/", null, "/", 1000);
    assertEquals(List.of("photos/d.jpg"), p.contents());
    assertEquals(List.of("photos/2006/", "photos/2007/"), p.commonPrefixes());
    assertFalse(p.truncated());
    p = list("photos/2006/", null, "/", 1000);
    assertEquals(List.of("photos/2006/feb/", "photos/2006/jan/"), p.commonPrefixes());
  }

  @Test
  void pagesCountPrefixesAndSkipAPrefixTheMarkerIsIn() {
    KeyListing.Page<String> p = list(null, null, "/", 1);
    assertEquals(List.of("photos/"), p.commonPrefixes());
    assertTrue(p.truncated());
    assertEquals("photos/", p.nextMarker());
    p = list(null, p.nextMarker(), "/", 2);
    assertEquals(List.of("readme", "z"), p.contents());
    assertTrue(p.commonPrefixes().isEmpty());
    assertTrue(p.truncated());
    p = list(null, p.nextMarker(), "/", 2);
    assertEquals(2, p.contents().size());
    assertFalse(p.truncated());
  }

  @Test
  void maxKeysWithoutDelimiterAndMarker() {
    KeyListing.Page<String> p = list("photos/", "photos/2006/jan/a.jpg", null, 1);
    assertEquals(List.of("photos/2007/c.jpg"), p.contents());
    assertTrue(p.truncated());
    assertEquals(0, list(null, null, null, 0).count());
    assertTrue(list(null, null, null, 0).truncated());
    assertFalse(list("nothing", null, null, 0).truncated());
  }
}
