package com.eucalyptus.nc.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.crypto.CertificateAuthority;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NC's image cache against a stand-in for Walrus's GetDecryptedImage (see WalrusImageStandIn). */
class ImageCacheTest {
  private static final CertificateAuthority.Issued NODE = CertificateAuthority.newSelfSigned("CN=node, OU=Eucalyptus");
  @TempDir
  Path tmp;
  WalrusImageStandIn walrus;
  WalrusImageClient client;

  @BeforeEach
  void setUp() throws IOException {
    walrus = new WalrusImageStandIn(NODE.certificate());
    client = new WalrusImageClient(new WalrusRequestSigner(NODE.keyPair().getPrivate(), NODE.certificate()), 3, Duration.ofMillis(50));
  }

  @AfterEach
  void tearDown() {
    walrus.close();
  }

  Path image(String name, int bytes) throws IOException {
    byte[] b = new byte[bytes];
    new Random(name.hashCode()).nextBytes(b);
    Path p = tmp.resolve(name);
    Files.write(p, b);
    return p;
  }

  ImageCache cache(long maxBytes) throws IOException {
    ImageCache c = new ImageCache(tmp.resolve("cache"), maxBytes, client);
    c.verifyAtStart();
    return c;
  }

  @Test
  void aFetchedImageIsTheSameBytesAndASecondAcquireUsesTheCache() throws Exception {
    Path src = image("emi.img", 300_000);
    URI url = walrus.publish("b", "emi", src);
    ImageCache c = cache(10_000_000);
    try (ImageCache.Lease l = c.acquire("emi-11111111", url)) {
      assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(l.file()));
    }
    try (ImageCache.Lease l = c.acquire("emi-11111111", url)) {
      assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(l.file()));
    }
    assertEquals(1, walrus.imageGets.get(), "fetched once");
    assertEquals(2, walrus.manifestGets.get(), "the manifest is compared each time");
    assertTrue(walrus.refusals.isEmpty(), walrus.refusals.toString());
  }

  @Test
  void concurrentRequestsForOneImageFetchItOnce() throws Exception {
    URI url = walrus.publish("b", "big", image("big.img", 3_000_000));
    ImageCache c = cache(100_000_000);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Long>> f = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        f.add(pool.submit(() -> {
          try (ImageCache.Lease l = c.acquire("emi-22222222", url)) {
            return Files.size(l.file());
          }
        }));
      }
      for (Future<Long> x : f) {
        assertEquals(3_000_000L, x.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, walrus.imageGets.get());
  }

  @Test
  void theLeastRecentlyUsedImageGoesWhenTheCacheIsFull() throws Exception {
    URI a = walrus.publish("b", "a", image("a.img", 400_000));
    URI b = walrus.publish("b", "b", image("b.img", 400_000));
    URI d = walrus.publish("b", "d", image("d.img", 400_000));
    ImageCache c = cache(1_000_000); // room for two
    c.acquire("emi-a", a).close();
    c.acquire("emi-b", b).close();
    c.acquire("emi-a", a).close(); // a is now more recent than b
    c.acquire("emi-d", d).close();
    assertEquals(List.of("emi-a", "emi-d"), c.cachedIds());
    assertFalse(Files.exists(tmp.resolve("cache/emi-b")), "evicted from disk too");
    assertTrue(c.usedBytes() <= 1_000_000);
  }

  @Test
  void anImageInUseIsNotEvictedAndOneBiggerThanTheCacheIsNotKept() throws Exception {
    URI a = walrus.publish("b", "a", image("a.img", 600_000));
    URI b = walrus.publish("b", "b", image("b.img", 600_000));
    URI huge = walrus.publish("b", "h", image("h.img", 2_000_000));
    ImageCache c = cache(1_000_000);
    try (ImageCache.Lease la = c.acquire("emi-a", a); ImageCache.Lease lb = c.acquire("emi-b", b)) {
      assertTrue(Files.exists(la.file()) && Files.exists(lb.file()), "both held while in use");
    }
    try (ImageCache.Lease lh = c.acquire("emi-h", huge)) {
      assertEquals(2_000_000L, Files.size(lh.file()));
    }
    assertFalse(c.cachedIds().contains("emi-h"));
    assertFalse(Files.exists(tmp.resolve("cache/emi-h")));
  }

  @Test
  void atStartADamagedOrHalfWrittenEntryIsRemovedAndASoundOneKept() throws Exception {
    URI a = walrus.publish("b", "a", image("a.img", 100_000));
    URI b = walrus.publish("b", "b", image("b.img", 100_000));
    ImageCache c = cache(10_000_000);
    c.acquire("emi-a", a).close();
    c.acquire("emi-b", b).close();
    try (RandomAccessFile f = new RandomAccessFile(tmp.resolve("cache/emi-b/image").toFile(), "rw")) {
      f.seek(5000);
      int x = f.read();
      f.seek(5000);
      f.write(x ^ 0x40); // one flipped bit, same size
    }
    Files.createDirectories(tmp.resolve("cache/emi-partial"));
    Files.write(tmp.resolve("cache/emi-partial/image.part"), new byte[10]);
    ImageCache restarted = cache(10_000_000);
    assertEquals(List.of("emi-a"), restarted.cachedIds());
    assertFalse(Files.exists(tmp.resolve("cache/emi-partial")));
    restarted.acquire("emi-b", b).close();
    assertEquals(3, walrus.imageGets.get(), "the damaged image was fetched again");
  }

  @Test
  void aFailedOrShortDownloadIsRetriedAndAChangedManifestFetchesAgain() throws Exception {
    Path src = image("r.img", 200_000);
    URI url = walrus.publish("b", "r", src);
    ImageCache c = cache(10_000_000);
    walrus.failNextImageGets.set(1);
    walrus.truncateNextImageGets.set(1);
    try (ImageCache.Lease l = c.acquire("emi-r", url)) {
      assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(l.file()));
    }
    assertEquals(3, walrus.imageGets.get(), "a 500, a short answer, then the good one");
    walrus.changeManifest(url, "<digest algorithm=\"SHA1\">new</digest>");
    c.acquire("emi-r", url).close();
    assertEquals(4, walrus.imageGets.get(), "a re-bundled image is fetched again");
  }

  @Test
  void persistentFailureGivesUpWithTheReasonAndLeavesNothingBehind() throws Exception {
    URI url = walrus.publish("b", "x", image("x.img", 50_000));
    ImageCache c = cache(10_000_000);
    walrus.truncateNextImageGets.set(10);
    IOException e = assertThrows(IOException.class, () -> c.acquire("emi-x", url));
    assertTrue(e.getMessage().contains("the manifest says 50000"), e.getMessage());
    assertEquals(3, walrus.imageGets.get());
    assertFalse(Files.exists(tmp.resolve("cache/emi-x")));
    assertTrue(c.cachedIds().isEmpty());
  }

  @Test
  void walrusRefusesAnUnsignedRequestAndTheCacheSaysSo() throws Exception {
    URI url = walrus.publish("b", "u", image("u.img", 1000));
    ImageCache c = new ImageCache(tmp.resolve("cache2"), 1_000_000, new WalrusImageClient(null, 2, Duration.ofMillis(10)));
    c.verifyAtStart();
    IOException e = assertThrows(IOException.class, () -> c.acquire("emi-u", url));
    assertTrue(e.getMessage().contains("403"), e.getMessage());
    assertEquals(0, walrus.imageGets.get());
  }
}
