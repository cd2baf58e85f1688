package com.eucalyptus.walrus.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The bytes of objects and parts on disk, under the Walrus path:
 *
 * <pre>
 *   tmp/&lt;id&gt;          a write in progress (streamed, fsynced, then renamed)
 *   data/&lt;ab&gt;/&lt;id&gt;     a complete file; ab = the id's first two characters
 * </pre>
 *
 * Ids are generated here (random UUIDs, no dashes): a key never becomes a file name, so no key can
 * reach outside this tree. A file is renamed into data/ only when it is complete and synced; the
 * metadata row that points at it is committed after that (see {@link #commitSection}), and an old
 * file is deleted only after the row that replaced it was committed.
 */
public final class ObjectFiles {
  private static final Logger LOG = LogManager.getLogger(ObjectFiles.class);
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
  private final Path root;
  private final Path tmp;
  private final Path data;
  /** Ids being written: their temp or fresh data file has no committed row yet. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  /** Commits hold it shared; a cleanup pass holds it exclusively, so it never sees a half-made commit. */
  private final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();

  public ObjectFiles(Path root) throws IOException {
    this.root = root;
    this.tmp = root.resolve("tmp");
    this.data = root.resolve("data");
    Files.createDirectories(tmp);
    Files.createDirectories(data);
  }

  public Path root() {
    return root;
  }

  /** The file of a committed id. */
  public Path path(String id) {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("not a file id: " + id);
    }
    return data.resolve(id.substring(0, 2)).resolve(id);
  }

  /** What a completed write produced. */
  public record Written(String id, long size, byte[] md5) {
    public String md5Hex() {
      return Hex.of(md5);
    }
  }

  /**
   * Streams {@code in} to a new temp file, at most {@code maxBytes}, computing its MD5; syncs it
   * and moves it into data/. The id stays in flight (safe from cleanup) until {@link #release};
   * on any failure the temp file is gone and nothing was moved.
   *
   * @throws TooLargeException when more than maxBytes arrive
   */
  public Written write(InputStream in, long maxBytes) throws IOException {
    String id = UUID.randomUUID().toString().replace("-", "");
    inFlight.add(id);
    Path t = tmp.resolve(id);
    boolean ok = false;
    try {
      MessageDigest md5 = md5();
      long size = 0;
      try (FileChannel ch = FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buf = new byte[256 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
          size += n;
          if (size > maxBytes) {
            throw new TooLargeException(maxBytes);
          }
          md5.update(buf, 0, n);
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            ch.write(bb);
          }
        }
        ch.force(true);
      }
      moveIntoData(t, id);
      ok = true;
      return new Written(id, size, md5.digest());
    } finally {
      if (!ok) {
        Files.deleteIfExists(t);
        inFlight.remove(id);
      }
    }
  }

  /** Writes the concatenation of committed files (a completed multipart upload, or a copy). */
  public Written concat(Iterable<String> sourceIds) throws IOException {
    String id = UUID.randomUUID().toString().replace("-", "");
    inFlight.add(id);
    Path t = tmp.resolve(id);
    boolean ok = false;
    try {
      MessageDigest md5 = md5();
      long size = 0;
      try (FileChannel out = FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        for (String src : sourceIds) {
          try (FileChannel in = FileChannel.open(path(src), StandardOpenOption.READ)) {
            ByteBuffer bb = ByteBuffer.allocate(256 * 1024);
            while (in.read(bb) > 0) {
              bb.flip();
              md5.update(bb.duplicate());
              size += bb.remaining();
              while (bb.hasRemaining()) {
                out.write(bb);
              }
              bb.clear();
            }
          }
        }
        out.force(true);
      }
      moveIntoData(t, id);
      ok = true;
      return new Written(id, size, md5.digest());
    } finally {
      if (!ok) {
        Files.deleteIfExists(t);
        inFlight.remove(id);
      }
    }
  }

  private void moveIntoData(Path t, String id) throws IOException {
    Path dir = data.resolve(id.substring(0, 2));
    Files.createDirectories(dir);
    Files.move(t, dir.resolve(id), StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(dir);
  }

  /**
   * Runs the metadata commit for a freshly written id so that a cleanup pass sees either no file
   * or a referenced one, then releases the id. When {@code commit} throws, the new file is deleted.
   */
  /** A metadata commit that may fail with a checked error. */
  @FunctionalInterface
  public interface Commit<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Runs the metadata commit of a freshly written id so that a cleanup pass sees either no file or
   * a referenced one, then releases the id. When the commit throws, the new file is deleted.
   */
  public <T, E extends Exception> T commitSection(String id, Commit<T, E> commit) throws E {
    commitLock.readLock().lock();
    boolean committed = false;
    try {
      T result = commit.run();
      committed = true;
      return result;
    } finally {
      try {
        if (!committed) {
          delete(id);
        }
      } finally {
        inFlight.remove(id);
        commitLock.readLock().unlock();
      }
    }
  }

  /** Forgets a written id whose row will never be committed, and deletes its file. */
  public void discard(String id) {
    delete(id);
    inFlight.remove(id);
  }

  /** Deletes a file no committed row points at any longer; a missing file is fine. */
  public void delete(String id) {
    if (id == null) {
      return;
    }
    try {
      Files.deleteIfExists(path(id));
    } catch (IOException e) {
      LOG.warn("could not delete {}: {} (the next cleanup pass will)", id, e.getMessage());
    }
  }

  /**
   * Deletes temp files and data files that no row references (a write cut off by a crash between
   * its rename and its commit, or a delete cut off before it removed the file). Writes in progress
   * are left alone.
   *
   * @param referenced returns the file ids the metadata references, read inside the pass
   * @return how many files were deleted
   */
  public int cleanup(Supplier<Set<String>> referenced) throws IOException {
    commitLock.writeLock().lock();
    try {
      int deleted = 0;
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
        for (Path p : ds) {
          if (!inFlight.contains(p.getFileName().toString())) {
            Files.deleteIfExists(p);
            deleted++;
          }
        }
      }
      Set<String> refs = referenced.get();
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(data)) {
        for (Path dir : dirs) {
          if (!Files.isDirectory(dir)) {
            continue;
          }
          try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
              String id = p.getFileName().toString();
              if (!refs.contains(id) && !inFlight.contains(id)) {
                Files.deleteIfExists(p);
                deleted++;
              }
            }
          }
        }
      }
      if (deleted > 0) {
        LOG.info("walrus cleanup: deleted {} unreferenced file(s) under {}", deleted, root);
      }
      return deleted;
    } finally {
      commitLock.writeLock().unlock();
    }
  }

  /** Opens a committed file for reading; NoSuchFileException when it was replaced meanwhile. */
  public InputStream open(String id, long offset) throws IOException {
    FileChannel ch = FileChannel.open(path(id), StandardOpenOption.READ);
    ch.position(offset);
    return Channels.newInputStream(ch);
  }

  /** Copies {@code length} bytes of a file from {@code offset} to {@code out}. */
  public void copyTo(String id, long offset, long length, OutputStream out) throws IOException {
    try (InputStream in = open(id, offset)) {
      byte[] buf = new byte[256 * 1024];
      long left = length;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException("file " + id + " ended early");
        }
        out.write(buf, 0, n);
        left -= n;
      }
    }
  }

  public boolean exists(String id) {
    return Files.exists(path(id));
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      LOG.debug("directory sync not supported here: {}", e.getMessage());
    }
  }

  public static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** More bytes arrived than the write allows. */
  public static final class TooLargeException extends IOException {
    public TooLargeException(long max) {
      super("more than " + max + " bytes");
    }
  }

}
