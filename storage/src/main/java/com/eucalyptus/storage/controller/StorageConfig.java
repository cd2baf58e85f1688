package com.eucalyptus.storage.controller;

import com.eucalyptus.runtime.config.EucaPaths;
import java.nio.file.Path;

/**
 * The storage controller's settings: which backend, where the volumes and the exports' files
 * live, and what the nodes connect to. The CLC builds it (from its configuration and system
 * properties); {@link #defaults} gives 1.5.2's layout.
 *
 * @param backend the backend's name ("nbd", the default; "aoe" comes with snapshots)
 * @param volumesDir the volumes ({@code $EUCALYPTUS/var/lib/eucalyptus/volumes} by default)
 * @param keysDir {@code $EUCALYPTUS/var/lib/eucalyptus/keys}: the cloud CA and the node certificate are read there,
 *     the storage key pair is kept there
 * @param stateDir the exports' pid files, QMP sockets and records ({@code $EUCALYPTUS/var/run/eucalyptus/storage})
 * @param exportHost the storage host's address, which the nodes connect to (never a wildcard)
 * @param firstPort first port of the exports' range (one port per exported volume)
 * @param lastPort last port of that range
 * @param daemon the qemu-storage-daemon command
 */
public record StorageConfig(String backend, Path volumesDir, Path keysDir, Path stateDir, String exportHost,
    int firstPort, int lastPort, String daemon) {

  public static final String DEFAULT_BACKEND = "nbd";
  public static final int DEFAULT_FIRST_PORT = 10810;
  public static final int DEFAULT_LAST_PORT = 10909;

  /** 1.5.2's folders under {@code $EUCALYPTUS}, the nbd backend, ports 10810-10909. */
  public static StorageConfig defaults(EucaPaths paths, String exportHost) {
    return new StorageConfig(DEFAULT_BACKEND, defaultVolumesDir(paths), paths.keysDir(),
        paths.runDir().resolve("storage"), exportHost, DEFAULT_FIRST_PORT, DEFAULT_LAST_PORT, "qemu-storage-daemon");
  }

  public static Path defaultVolumesDir(EucaPaths paths) {
    return paths.home().resolve("var/lib/eucalyptus/volumes");
  }

  /** The daemons' TLS folder, beside the keys it is made from. */
  public Path tlsDir() {
    return keysDir.resolve("nbd-tls");
  }

  public StorageConfig withBackend(String name) {
    return new StorageConfig(name == null || name.isBlank() ? DEFAULT_BACKEND : name.strip(), volumesDir, keysDir,
        stateDir, exportHost, firstPort, lastPort, daemon);
  }

  /** A configured volumes path; null or blank keeps the current one. */
  public StorageConfig withVolumesDir(String path) {
    return path == null || path.isBlank() ? this
        : new StorageConfig(backend, Path.of(path.strip()), keysDir, stateDir, exportHost, firstPort, lastPort, daemon);
  }

  public StorageConfig withExportPorts(int first, int last) {
    return new StorageConfig(backend, volumesDir, keysDir, stateDir, exportHost, first, last, daemon);
  }

  public StorageConfig withStateDir(Path dir) {
    return new StorageConfig(backend, volumesDir, keysDir, dir, exportHost, firstPort, lastPort, daemon);
  }

  public StorageConfig withDaemon(String command) {
    return new StorageConfig(backend, volumesDir, keysDir, stateDir, exportHost, firstPort, lastPort, command);
  }
}
