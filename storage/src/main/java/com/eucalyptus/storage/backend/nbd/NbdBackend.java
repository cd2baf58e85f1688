package com.eucalyptus.storage.backend.nbd;

import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.storage.backend.VolumeBackend;
import com.eucalyptus.storage.backend.VolumeIds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The {@code nbd} backend (ours, the default): a sparse file per volume, exported over NBD with
 * TLS by a qemu-storage-daemon of its own (docs/storage.md). All its state is on disk, so a new
 * object over the same folders (a restarted CLC) sees the same volumes and exports.
 */
public final class NbdBackend implements VolumeBackend {
  public static final String NAME = "nbd";
  private static final Logger LOG = LogManager.getLogger(NbdBackend.class);

  /**
   * Where the backend keeps things and how it exports them.
   *
   * @param volumesDir the volume files
   * @param keysDir {@code var/lib/eucalyptus/keys}: the cloud's keys, and the storage key pair kept there
   * @param tlsDir the folder of the daemons' TLS files (ca-cert.pem, server-cert.pem, server-key.pem)
   * @param stateDir the exports' pid files, QMP sockets and records
   * @param host the storage host's address: the daemons listen on it and remoteDev names it
   * @param firstPort the export ports' range, one port per exported volume
   * @param daemon the qemu-storage-daemon command (a name looked up in PATH, or a path)
   */
  public record Settings(Path volumesDir, Path keysDir, Path tlsDir, Path stateDir, String host, int firstPort,
      int lastPort, String daemon) {
  }

  private final VolumeFiles files;
  private final ExportTls tls;
  private final ExportDaemons exports;
  private final String host;
  private boolean tlsReady;

  public NbdBackend(Settings settings, CommandRunner runner) {
    this.files = new VolumeFiles(settings.volumesDir().toAbsolutePath());
    this.tls = new ExportTls(settings.keysDir(), settings.tlsDir());
    this.host = settings.host();
    this.exports = new ExportDaemons(settings.stateDir(), settings.daemon(), settings.host(), settings.firstPort(),
        settings.lastPort(), tls, runner);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String problem() {
    String p = exports.problem();
    return p != null ? p : tls.problem();
  }

  /**
   * At start: removes what interrupted creates left, clears the files of exports whose daemons
   * have gone (a host reboot), and prepares the TLS folder.
   */
  @Override
  public void start() throws IOException {
    files.removeLeftovers();
    for (String id : exports.recorded()) {
      ExportRecord running = exports.find(id);
      if (running != null) {
        LOG.info("export of {} still running: {}", id, running.remoteDev());
      }
    }
    prepareTls();
  }

  @Override
  public synchronized void create(String volumeId, long sizeBytes) throws IOException {
    files.create(volumeId, sizeBytes);
  }

  @Override
  public synchronized void delete(String volumeId) throws IOException {
    VolumeIds.check(volumeId);
    exports.stop(volumeId);
    files.delete(volumeId);
  }

  @Override
  public List<StoredVolume> list() throws IOException {
    return files.list();
  }

  @Override
  public synchronized String export(String volumeId, String nodeAddress) throws IOException {
    if (!files.exists(volumeId)) {
      throw new IOException("no volume " + volumeId + " in " + files.dir());
    }
    prepareTls();
    return exports.start(volumeId, files.fileOf(volumeId), nodeAddress == null ? "" : nodeAddress).remoteDev();
  }

  @Override
  public synchronized void unexport(String volumeId) {
    exports.stop(VolumeIds.check(volumeId));
  }

  @Override
  public String exportOf(String volumeId) {
    ExportRecord r = exports.find(VolumeIds.check(volumeId));
    return r == null ? null : r.remoteDev();
  }

  private synchronized void prepareTls() throws IOException {
    if (!tlsReady) {
      tls.prepare(host);
      tlsReady = true;
    }
  }
}
