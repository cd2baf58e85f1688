package com.eucalyptus.runtime.soap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a daemon's signing keys come from. A server reads them from the PEM files under
 * {@code var/lib/eucalyptus/keys} on demand, so a daemon started before the keys exist (the CLC
 * makes them at its first start; euca_conf --synckeys copies them) begins to answer as soon as
 * they appear, and picks up new keys without a restart.
 */
public interface KeySource {

  /** The keys now, or an exception saying which file is missing or unreadable. */
  WsSecurityKeys current() throws IOException;

  static KeySource fixed(WsSecurityKeys keys) {
    return () -> keys;
  }

  static KeySource files(Path keysDir, String keyFile, String certFile, String... trustedCertFiles) {
    return new FileKeySource(keysDir, keyFile, certFile, trustedCertFiles);
  }

  /** Reloads when a file's modification time changes. */
  final class FileKeySource implements KeySource {
    private final Path dir;
    private final String keyFile;
    private final String certFile;
    private final String[] trusted;
    private List<FileTime> loadedStamps;
    private WsSecurityKeys loaded;

    FileKeySource(Path dir, String keyFile, String certFile, String[] trusted) {
      this.dir = dir;
      this.keyFile = keyFile;
      this.certFile = certFile;
      this.trusted = trusted.clone();
    }

    @Override
    public synchronized WsSecurityKeys current() throws IOException {
      List<FileTime> stamps = new ArrayList<>();
      List<String> files = new ArrayList<>(List.of(keyFile, certFile));
      files.addAll(List.of(trusted));
      for (String f : files) {
        Path p = dir.resolve(f);
        if (!Files.isReadable(p)) {
          throw new IOException("key file " + p + " is missing or unreadable (start the CLC once, or run euca_conf --synckeys)");
        }
        stamps.add(Files.getLastModifiedTime(p));
      }
      if (loaded == null || !stamps.equals(loadedStamps)) {
        loaded = WsSecurityKeys.load(dir, keyFile, certFile, trusted);
        loadedStamps = stamps;
      }
      return loaded;
    }

    @Override
    public String toString() {
      return dir + "/{" + keyFile + "," + certFile + "," + String.join(",", trusted) + "}";
    }
  }
}
