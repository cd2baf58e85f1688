package com.eucalyptus.clc;

import com.eucalyptus.storage.backend.VolumeBackend;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A volume backend for the CLC's unit tests, until the storage module's nbd backend is merged
 * here: real sparse files in a folder (made under {@code <id>.part} and renamed into place, as the
 * interface asks), and an export recorded as a file {@code <id>.export} holding its remoteDev —
 * state on disk, so a restarted CLC finds it. No NBD server runs: the CLC's tests check what the
 * CLC asks of the storage controller and the CC, not the data path (the integration tests').
 */
public final class FolderVolumeBackend implements VolumeBackend {
  private final Path dir;
  private final String storageHost;
  /** a failure create() meets after writing its partial file, when set */
  public volatile String failCreate;

  public FolderVolumeBackend(Path dir, String storageHost) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.storageHost = storageHost;
  }

  @Override
  public String name() {
    return "folder";
  }

  @Override
  public String problem() {
    return null;
  }

  /** The temporary file a creation in progress writes. */
  public Path partial(String volumeId) {
    return dir.resolve(volumeId + ".part");
  }

  public Path file(String volumeId) {
    return dir.resolve(volumeId);
  }

  @Override
  public void create(String volumeId, long sizeBytes) throws IOException {
    Path part = partial(volumeId);
    try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
      f.setLength(sizeBytes);
    }
    if (failCreate != null) {
      throw new IOException(failCreate);
    }
    Files.move(part, file(volumeId), StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void delete(String volumeId) throws IOException {
    unexport(volumeId);
    Files.deleteIfExists(partial(volumeId));
    Files.deleteIfExists(file(volumeId));
  }

  @Override
  public List<StoredVolume> list() throws IOException {
    List<StoredVolume> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.matches("vol-[0-9A-F]{8}")) {
          out.add(new StoredVolume(name, Files.size(p)));
        }
      }
    }
    return out;
  }

  @Override
  public String export(String volumeId, String nodeAddress) throws IOException {
    if (!Files.exists(file(volumeId))) {
      throw new IOException("no volume " + volumeId);
    }
    String current = exportOf(volumeId);
    if (current != null) {
      return current;
    }
    String remote = "nbd://" + storageHost + ":10809/" + volumeId + "?node=" + nodeAddress;
    Files.writeString(dir.resolve(volumeId + ".export"), remote, StandardCharsets.UTF_8);
    return remote;
  }

  @Override
  public void unexport(String volumeId) throws IOException {
    Files.deleteIfExists(dir.resolve(volumeId + ".export"));
  }

  @Override
  public String exportOf(String volumeId) throws IOException {
    Path p = dir.resolve(volumeId + ".export");
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
  }
}
