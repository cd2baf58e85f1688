package com.eucalyptus.storage.backend.nbd;

import com.eucalyptus.storage.backend.NotEnoughSpaceException;
import com.eucalyptus.storage.backend.VolumeBackend.StoredVolume;
import com.eucalyptus.storage.backend.VolumeIds;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The volumes folder: one sparse file per volume, named by its id (1.5.2's layout). A volume is
 * made as {@code .<id>.creating} and renamed into place only once it has its full size and is
 * on disk, so a file named by a volume id is always a whole volume and a kill -9 mid-create
 * leaves only a dot file, which {@link #list} ignores and {@link #removeLeftovers} deletes.
 */
final class VolumeFiles {
  private static final Logger LOG = LogManager.getLogger(VolumeFiles.class);
  private static final String CREATING = ".creating";

  private final Path dir;

  VolumeFiles(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  Path fileOf(String volumeId) {
    return dir.resolve(VolumeIds.check(volumeId));
  }

  private Path temporaryOf(String volumeId) {
    return dir.resolve("." + VolumeIds.check(volumeId) + CREATING);
  }

  /**
   * Makes the volume's file of {@code sizeBytes} (all zero, no blocks allocated). A volume that
   * already exists with that size is left as it is (a repeated create); with another size it is
   * an error.
   */
  void create(String volumeId, long sizeBytes) throws IOException {
    if (sizeBytes <= 0) {
      throw new IllegalArgumentException("volume size must be positive: " + sizeBytes);
    }
    Path target = fileOf(volumeId);
    if (Files.exists(target)) {
      long existing = Files.size(target);
      if (existing == sizeBytes) {
        return;
      }
      throw new IOException("volume " + volumeId + " already exists with " + existing + " bytes, not " + sizeBytes);
    }
    Files.createDirectories(dir);
    long usable = Files.getFileStore(dir).getUsableSpace();
    if (usable < sizeBytes) {
      throw new NotEnoughSpaceException("not enough space for volume " + volumeId + ": " + sizeBytes
          + " bytes asked, " + usable + " bytes free in " + dir);
    }
    Path tmp = temporaryOf(volumeId);
    Files.deleteIfExists(tmp);
    try (RandomAccessFile f = new RandomAccessFile(tmp.toFile(), "rw")) {
      f.setLength(sizeBytes);
      f.getFD().sync();
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    syncDir();
    LOG.info("created volume {} ({} bytes) at {}", volumeId, sizeBytes, target);
  }

  /** Removes the volume's file (and any half-made one); an unknown volume is fine. */
  void delete(String volumeId) throws IOException {
    boolean removed = Files.deleteIfExists(fileOf(volumeId));
    Files.deleteIfExists(temporaryOf(volumeId));
    if (removed) {
      syncDir();
      LOG.info("deleted volume {}", volumeId);
    }
  }

  boolean exists(String volumeId) {
    return Files.isRegularFile(fileOf(volumeId));
  }

  /** The whole volumes, by id. */
  List<StoredVolume> list() throws IOException {
    List<StoredVolume> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path p : files) {
        String name = p.getFileName().toString();
        if (VolumeIds.isPlain(name) && Files.isRegularFile(p)) {
          out.add(new StoredVolume(name, Files.size(p)));
        }
      }
    }
    out.sort(Comparator.comparing(StoredVolume::volumeId));
    return out;
  }

  /** Deletes what interrupted creates left ({@code .<id>.creating}); run at start. */
  void removeLeftovers() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "." + "*" + CREATING)) {
      for (Path p : files) {
        LOG.warn("removing {}: a volume create that did not finish", p);
        Files.deleteIfExists(p);
      }
    }
  }

  /** Makes the rename itself durable, so a crash after create() returned keeps the volume. */
  private void syncDir() {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      LOG.debug("cannot sync folder {}: {}", dir, e.toString());
    }
  }
}
