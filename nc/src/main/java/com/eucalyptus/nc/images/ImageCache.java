package com.eucalyptus.nc.images;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The NC's image cache, {@code INSTANCE_PATH/eucalyptus/cache/<image id>/} as in 1.5.2, holding
 * {@code image} (the decrypted image), {@code manifest.xml} (to notice a re-bundled image: the
 * manifest is fetched again and compared) and {@code image.sha1}. At most NC_CACHE_SIZE bytes:
 * the least recently used entries not in use go first; an image bigger than the whole cache is
 * fetched for the one launch and dropped when released. Concurrent requests for one image fetch
 * it once (the others wait for that fetch). At start every entry is checked (size against its
 * manifest, SHA-1 against image.sha1) and a damaged or half-written one removed.
 */
public final class ImageCache {
  private static final Logger LOG = LogManager.getLogger(ImageCache.class);
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private final Path dir;
  private final long maxBytes;
  private final WalrusImageClient walrus;
  private final Map<String, Entry> entries = new HashMap<>();
  private final ConcurrentHashMap<String, Object> fetchLocks = new ConcurrentHashMap<>();

  private static final class Entry {
    final String id;
    final long size;
    long lastUsed;
    int pins;
    boolean retained = true;

    Entry(String id, long size, long lastUsed) {
      this.id = id;
      this.size = size;
      this.lastUsed = lastUsed;
    }
  }

  /** An image held for one launch: not evicted until closed. */
  public final class Lease implements AutoCloseable {
    private final Entry entry;
    private boolean closed;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    public Path file() {
      return dir.resolve(entry.id).resolve("image");
    }

    public long size() {
      return entry.size;
    }

    @Override
    public void close() {
      synchronized (ImageCache.this) {
        if (closed) {
          return;
        }
        closed = true;
        entry.pins--;
        if (entry.pins == 0 && !entry.retained) {
          remove(entry);
        }
      }
    }
  }

  public ImageCache(Path dir, long maxBytes, WalrusImageClient walrus) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.walrus = walrus;
  }

  /** Checks every entry on disk and keeps the sound ones; call once before serving. */
  public synchronized void verifyAtStart() throws IOException {
    Files.createDirectories(dir);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String id = p.getFileName().toString();
        String problem = Files.isDirectory(p) ? check(p) : "not a folder";
        if (problem == null) {
          Entry e = new Entry(id, Files.size(p.resolve("image")), Files.getLastModifiedTime(p.resolve("image.sha1")).toMillis());
          entries.put(id, e);
          LOG.info("image cache: {} ({} bytes) is sound", id, e.size);
        } else {
          LOG.warn("image cache: removing {}: {}", p, problem);
          deleteTree(p);
        }
      }
    }
    evictUntilFits(0);
  }

  /** Why the cached entry in {@code p} cannot be used, or null when it is sound. */
  private static String check(Path p) throws IOException {
    Path image = p.resolve("image");
    Path manifest = p.resolve("manifest.xml");
    Path sha1 = p.resolve("image.sha1");
    if (!Files.isRegularFile(image) || !Files.isRegularFile(manifest) || !Files.isRegularFile(sha1)) {
      return "incomplete (a fetch did not finish)";
    }
    long expected;
    try {
      expected = WalrusImageClient.imageSize(Files.readString(manifest, StandardCharsets.UTF_8));
    } catch (IOException | NumberFormatException e) {
      return "unreadable manifest: " + e.getMessage();
    }
    if (Files.size(image) != expected) {
      return "size " + Files.size(image) + " but the manifest says " + expected;
    }
    String want = Files.readString(sha1, StandardCharsets.US_ASCII).strip();
    String have;
    try (InputStream in = Files.newInputStream(image)) {
      have = Digests.sha1(in);
    }
    return want.equals(have) ? null : "SHA-1 " + have + " but " + want + " was recorded";
  }

  /** Bytes held by the cache now. */
  public synchronized long usedBytes() {
    return entries.values().stream().filter(e -> e.retained).mapToLong(e -> e.size).sum();
  }

  public synchronized List<String> cachedIds() {
    return entries.values().stream().filter(e -> e.retained).sorted(Comparator.comparing(e -> e.id)).map(e -> e.id).toList();
  }

  /**
   * The image {@code imageId} from {@code manifestUrl}: from the cache when its manifest is
   * unchanged (or Walrus cannot be asked), else fetched.
   */
  public Lease acquire(String imageId, URI manifestUrl) throws IOException {
    if (!SAFE_ID.matcher(imageId).matches()) {
      throw new IOException("image id \"" + imageId + "\" is not a plain name");
    }
    synchronized (fetchLocks.computeIfAbsent(imageId, k -> new Object())) {
      String manifest;
      try {
        manifest = walrus.fetchManifest(manifestUrl);
      } catch (IOException e) {
        synchronized (this) {
          Entry cached = entries.get(imageId);
          if (cached != null && cached.retained) {
            LOG.warn("cannot revalidate {} with Walrus ({}); using the cached copy", imageId, e.getMessage());
            return pin(cached);
          }
        }
        throw e;
      }
      Path entryDir = dir.resolve(imageId);
      synchronized (this) {
        Entry cached = entries.get(imageId);
        if (cached != null && cached.retained) {
          if (manifest.equals(Files.readString(entryDir.resolve("manifest.xml"), StandardCharsets.UTF_8))) {
            return pin(cached);
          }
          if (cached.pins > 0) {
            throw new IOException("image " + imageId + " changed in Walrus while an instance is being built from it; retry");
          }
          LOG.info("image {} changed in Walrus (new manifest): fetching it again", imageId);
          remove(cached);
        }
      }
      long size = WalrusImageClient.imageSize(manifest);
      boolean retained;
      synchronized (this) {
        retained = size <= maxBytes;
        if (retained) {
          evictUntilFits(size);
        } else {
          LOG.warn("image {} ({} bytes) is larger than NC_CACHE_SIZE ({} bytes): fetched for this launch only", imageId, size, maxBytes);
        }
      }
      deleteTree(entryDir);
      Files.createDirectories(entryDir);
      WalrusImageClient.FetchedImage got;
      try {
        got = walrus.fetch(manifestUrl, manifest, entryDir.resolve("image"));
        Files.writeString(entryDir.resolve("manifest.xml"), manifest, StandardCharsets.UTF_8);
        // written last: its presence marks a complete entry
        Files.writeString(entryDir.resolve("image.sha1"), got.sha1() + "\n", StandardCharsets.US_ASCII);
      } catch (IOException | RuntimeException e) {
        deleteTree(entryDir);
        throw e;
      }
      synchronized (this) {
        Entry e = new Entry(imageId, got.size(), System.currentTimeMillis());
        e.retained = retained;
        entries.put(imageId, e);
        return pin(e);
      }
    }
  }

  private Lease pin(Entry e) {
    e.pins++;
    e.lastUsed = System.currentTimeMillis();
    try {
      Files.setLastModifiedTime(dir.resolve(e.id).resolve("image.sha1"), FileTime.fromMillis(e.lastUsed));
    } catch (IOException ignored) {
      // only the order of eviction after a restart depends on it
    }
    return new Lease(e);
  }

  /** Removes least recently used entries not in use until {@code incoming} more bytes fit. */
  private void evictUntilFits(long incoming) {
    List<Entry> byAge = new ArrayList<>(entries.values());
    byAge.sort(Comparator.comparingLong(e -> e.lastUsed));
    for (Entry e : byAge) {
      if (usedBytes() + incoming <= maxBytes) {
        return;
      }
      if (e.pins == 0) {
        LOG.info("image cache: evicting {} ({} bytes, least recently used) to stay within {} bytes", e.id, e.size, maxBytes);
        remove(e);
      }
    }
  }

  private void remove(Entry e) {
    entries.remove(e.id);
    try {
      deleteTree(dir.resolve(e.id));
    } catch (IOException ex) {
      LOG.warn("image cache: could not remove {}: {}", e.id, ex.getMessage());
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
