package com.eucalyptus.clc;

import com.eucalyptus.clc.bootstrap.CloudKeys;
import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.storage.backend.VolumeBackend;
import com.eucalyptus.storage.backend.nbd.NbdBackend;
import com.eucalyptus.storage.controller.StorageController;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real storage controller for the CLC's tests: the nbd backend over a temporary
 * $EUCALYPTUS (the cloud's keys as the CLC makes them, sparse files, one qemu-storage-daemon per
 * export), listening on a loopback address and port range picked here, so tests running side by
 * side never meet. {@link #stopExports} ends every daemon a test started.
 */
public final class TestStorage {
  public final Path home;
  public final String host;
  public final NbdBackend.Settings settings;

  public TestStorage(Path home) {
    this.home = home;
    try {
      CloudKeys.ensure(home.resolve("keys"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    host = "127." + r.nextInt(1, 255) + "." + r.nextInt(1, 255) + "." + r.nextInt(2, 255);
    int first = 0;
    for (int attempt = 0; attempt < 50 && first == 0; attempt++) {
      int base = r.nextInt(20000, 40000);
      if (free(base, base + 9)) {
        first = base;
      }
    }
    settings = new NbdBackend.Settings(home.resolve("volumes"), home.resolve("keys"), home.resolve("keys/nbd-tls"),
        home.resolve("run"), host, first, first + 9, "qemu-storage-daemon");
  }

  private boolean free(int first, int last) {
    for (int p = first; p <= last; p++) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(host, p));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** A storage controller over the nbd backend, as a (re)started CLC opens it. */
  public StorageController open() {
    try {
      return StorageController.open(new NbdBackend(settings, new CommandRunner()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A volume's file. */
  public Path file(String volumeId) {
    return settings.volumesDir().resolve(volumeId);
  }

  /** The file an interrupted create leaves (the nbd backend's temporary name). */
  public Path partial(String volumeId) {
    return settings.volumesDir().resolve("." + volumeId + ".creating");
  }

  /** Ends every export's daemon (the test's end). */
  public void stopExports() {
    try {
      NbdBackend nbd = new NbdBackend(settings, new CommandRunner());
      if (Files.isDirectory(settings.volumesDir())) {
        for (VolumeBackend.StoredVolume v : nbd.list()) {
          nbd.unexport(v.volumeId());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
