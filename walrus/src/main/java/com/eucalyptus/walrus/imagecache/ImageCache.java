package com.eucalyptus.walrus.imagecache;

import com.eucalyptus.walrus.images.ImageBundleException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Decrypted images on disk ({@code <walrus path>/imagecache/<name>.img}), within a size limit
 * (walrus.image.cache.size.mb) with least-recently-used eviction. Concurrent requests for the same
 * image wait for one decryption; a decryption writes into a temporary file that becomes the
 * cached image only when it succeeded, so a refused bundle leaves nothing behind.
 *
 * <p>An image is named by the caller (see {@link ImageService#cacheName}); the name changes when
 * the manifest changes, so a re-uploaded bundle is decrypted afresh.
 */
public final class ImageCache {
  private static final Logger LOG = LogManager.getLogger(ImageCache.class);
  private final Path dir;
  private final LongSupplier limitBytes;
  /** name → entry, in access order (eldest = least recently used). Guarded by this. */
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, CompletableFuture<Entry>> pending = new ConcurrentHashMap<>();
  private final AtomicLong decryptions = new AtomicLong();
  private long totalBytes;

  /** Writes the decrypted image into {@code out}; any exception discards what was written. */
  public interface Decryption {
    void writeTo(OutputStream out) throws ImageBundleException, IOException;
  }

  /** A cached image file and whether this call found it there ({@code HIT}), waited for another call's decryption ({@code SHARED}) or decrypted it ({@code MISS}). */
  public record Lookup(Path file, long size, Outcome outcome) {}

  public enum Outcome { HIT, SHARED, MISS }

  private record Entry(String name, Path file, long size) {}

  public ImageCache(Path dir, LongSupplier limitBytes) throws IOException {
    this.dir = dir;
    this.limitBytes = limitBytes;
    Files.createDirectories(dir);
    load();
  }

  /** Picks up what a previous run cached (oldest first by mtime) and deletes unfinished decryptions. */
  private synchronized void load() throws IOException {
    List<Path> images = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.endsWith(".img")) {
          images.add(p);
        } else if (n.endsWith(".tmp")) {
          Files.deleteIfExists(p);
        }
      }
    }
    images.sort((a, b) -> {
      try {
        return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
      } catch (IOException e) {
        return 0;
      }
    });
    for (Path p : images) {
      String n = p.getFileName().toString();
      long size = Files.size(p);
      entries.put(n.substring(0, n.length() - 4), new Entry(n, p, size));
      totalBytes += size;
    }
    if (!images.isEmpty()) {
      LOG.info("image cache: {} image(s), {} bytes under {}", images.size(), totalBytes, dir);
    }
  }

  public Path dir() {
    return dir;
  }

  /** How many decryptions this cache has run since start. */
  public long decryptions() {
    return decryptions.get();
  }

  /** The cached image of that name, or empty; counts as a use. */
  public synchronized java.util.Optional<Lookup> cached(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      return java.util.Optional.empty();
    }
    if (!Files.exists(e.file())) { // deleted behind our back: forget it, decrypt again
      entries.remove(name);
      totalBytes -= e.size();
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Lookup(e.file(), e.size(), Outcome.HIT));
  }

  /** Whether the image is cached; not a use (the LRU order stays). */
  public synchronized boolean contains(String name) {
    return entries.containsKey(name);
  }

  public boolean decrypting(String name) {
    return pending.containsKey(name);
  }

  /**
   * The cached image {@code name}, decrypting it with {@code decryption} first when it is not
   * cached. A concurrent call for the same name waits for that decryption instead of running its own.
   */
  public Lookup get(String name, String what, Decryption decryption) throws ImageBundleException, IOException {
    var hit = cached(name);
    if (hit.isPresent()) {
      return hit.get();
    }
    CompletableFuture<Entry> mine = new CompletableFuture<>();
    CompletableFuture<Entry> running = pending.putIfAbsent(name, mine);
    if (running != null) {
      Entry e = await(running);
      return new Lookup(e.file(), e.size(), Outcome.SHARED);
    }
    try {
      hit = cached(name); // another call may have finished between the two looks
      if (hit.isPresent()) {
        mine.complete(new Entry(name, hit.get().file(), hit.get().size()));
        return hit.get();
      }
      Entry e = decrypt(name, what, decryption);
      mine.complete(e);
      return new Lookup(e.file(), e.size(), Outcome.MISS);
    } catch (ImageBundleException | IOException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      pending.remove(name, mine);
    }
  }

  private Entry decrypt(String name, String what, Decryption decryption) throws ImageBundleException, IOException {
    long n = decryptions.incrementAndGet();
    LOG.info("image cache: decrypting {} (decryption #{})", what, n);
    long started = System.nanoTime();
    Path tmp = dir.resolve(name + "." + Thread.currentThread().getId() + ".tmp");
    Path file = dir.resolve(name + ".img");
    try {
      try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
        decryption.writeTo(out);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    long size = Files.size(file);
    Entry e = new Entry(name, file, size);
    synchronized (this) {
      Entry old = entries.put(name, e);
      totalBytes += size - (old == null ? 0 : old.size());
      evict(name);
    }
    LOG.info("image cache: {} decrypted, {} bytes in {} ms", what, size, (System.nanoTime() - started) / 1_000_000);
    return e;
  }

  /** Deletes least recently used images until the cache fits its limit; never {@code keep}. */
  private void evict(String keep) {
    long limit = limitBytes.getAsLong();
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (totalBytes > limit && it.hasNext()) {
      Entry e = it.next().getValue();
      if (e.name().equals(keep)) {
        continue;
      }
      it.remove();
      totalBytes -= e.size();
      delete(e.file()); // a request still streaming it keeps its open file
      LOG.info("image cache: evicted {} ({} bytes; cache limit {} bytes)", e.name(), e.size(), limit);
    }
    if (totalBytes > limit) {
      LOG.warn("image cache: {} alone ({} bytes) exceeds the cache limit of {} bytes", keep, totalBytes, limit);
    }
  }

  /** Removes every cached image whose name starts with {@code prefix}; how many were removed. */
  public synchronized int flush(String prefix) {
    int n = 0;
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
      Entry e = it.next();
      if (e.name().startsWith(prefix)) {
        it.remove();
        totalBytes -= e.size();
        delete(e.file());
        n++;
      }
    }
    return n;
  }

  public synchronized long totalBytes() {
    return totalBytes;
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ex) {
      LOG.warn("image cache: cannot delete {}: {}", p, ex.getMessage());
    }
  }

  private static Entry await(CompletableFuture<Entry> f) throws ImageBundleException, IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the image's decryption");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ImageBundleException ibe) {
        throw new ImageBundleException(ibe.reason(), ibe.getMessage(), ibe);
      }
      if (c instanceof IOException io) {
        throw new IOException(io.getMessage(), io);
      }
      throw new IllegalStateException(c);
    }
  }
}
