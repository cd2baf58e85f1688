package com.eucalyptus.walrus.imagecache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.walrus.images.ImageBundleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image cache on a real folder: decrypt once, LRU within the limit, nothing kept from a failure. */
class ImageCacheTest {
  @TempDir
  Path dir;

  private static ImageCache.Decryption bytes(int n, byte value, AtomicInteger runs) {
    return out -> {
      runs.incrementAndGet();
      byte[] b = new byte[n];
      java.util.Arrays.fill(b, value);
      out.write(b);
    };
  }

  @Test
  void aSecondRequestIsServedFromTheFileWithoutDecrypting() throws Exception {
    ImageCache cache = new ImageCache(dir, () -> 1 << 20);
    AtomicInteger runs = new AtomicInteger();
    ImageCache.Lookup first = cache.get("a", "a", bytes(1000, (byte) 1, runs));
    ImageCache.Lookup second = cache.get("a", "a", bytes(1000, (byte) 2, runs));
    assertEquals(ImageCache.Outcome.MISS, first.outcome());
    assertEquals(ImageCache.Outcome.HIT, second.outcome());
    assertEquals(1, runs.get());
    assertEquals(1, Files.readAllBytes(second.file())[0]);
  }

  @Test
  void theLeastRecentlyUsedImageIsEvictedWhenTheLimitIsPassed() throws Exception {
    ImageCache cache = new ImageCache(dir, () -> 2500);
    AtomicInteger runs = new AtomicInteger();
    cache.get("a", "a", bytes(1000, (byte) 1, runs));
    cache.get("b", "b", bytes(1000, (byte) 2, runs));
    cache.get("a", "a", bytes(1000, (byte) 1, runs)); // a used after b
    assertTrue(cache.contains("b")); // contains() is not a use
    cache.get("c", "c", bytes(1000, (byte) 3, runs));
    assertTrue(cache.contains("a"));
    assertFalse(cache.contains("b"));
    assertTrue(cache.contains("c"));
    assertFalse(Files.exists(dir.resolve("b.img")));
    assertEquals(2000, cache.totalBytes());
    assertEquals(3, runs.get());
  }

  @Test
  void concurrentRequestsWaitForOneDecryption() throws Exception {
    ImageCache cache = new ImageCache(dir, () -> 1 << 20);
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    ImageCache.Decryption slow = out -> {
      runs.incrementAndGet();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      out.write(new byte[4096]);
    };
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<ImageCache.Lookup>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(pool.submit(() -> cache.get("x", "x", slow)));
    }
    while (!cache.decrypting("x")) {
      Thread.onSpinWait();
    }
    Thread.sleep(200); // the other three reach the wait (a late one would find the file: also no decryption)
    release.countDown();
    for (Future<ImageCache.Lookup> f : calls) {
      assertEquals(4096, f.get(10, TimeUnit.SECONDS).size());
    }
    pool.shutdown();
    assertEquals(1, runs.get());
    assertEquals(1, cache.decryptions());
  }

  @Test
  void aFailedDecryptionLeavesNothingAndIsReportedToEveryWaiter() throws Exception {
    ImageCache cache = new ImageCache(dir, () -> 1 << 20);
    ImageBundleException e = assertThrows(ImageBundleException.class, () -> cache.get("bad", "bad", out -> {
      out.write(new byte[100]);
      throw new ImageBundleException(ImageBundleException.Reason.PART_DIGEST_MISMATCH, "part 0");
    }));
    assertEquals(ImageBundleException.Reason.PART_DIGEST_MISMATCH, e.reason());
    try (var s = Files.list(dir)) {
      assertEquals(0, s.count());
    }
    assertFalse(cache.contains("bad"));
  }

  @Test
  void aRestartFindsTheCachedImages() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    new ImageCache(dir, () -> 1 << 20).get("a", "a", bytes(10, (byte) 7, runs));
    Files.writeString(dir.resolve("half.1.tmp"), "cut off");
    ImageCache again = new ImageCache(dir, () -> 1 << 20);
    assertTrue(again.contains("a"));
    assertEquals(ImageCache.Outcome.HIT, again.get("a", "a", bytes(10, (byte) 8, runs)).outcome());
    assertArrayEquals(new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7}, Files.readAllBytes(dir.resolve("a.img")));
    assertFalse(Files.exists(dir.resolve("half.1.tmp")));
  }

  @Test
  void asctimeAndRfc1123DatesAreRead() throws Exception {
    assertEquals(NodeRequestAuthenticator.parseDate("Tue Nov 24 14:36:31 2026"),
        NodeRequestAuthenticator.parseDate("Tue, 24 Nov 2026 14:36:31 GMT"));
    assertEquals(NodeRequestAuthenticator.parseDate("Thu Nov  5 01:02:03 2026"),
        NodeRequestAuthenticator.parseDate("Thu, 05 Nov 2026 01:02:03 GMT"));
  }
}
