package com.eucalyptus.storage.controller;

import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.storage.backend.VolumeBackend;
import com.eucalyptus.storage.backend.VolumeBackend.StoredVolume;
import com.eucalyptus.storage.backend.nbd.NbdBackend;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The block-storage service the CLC calls (1.5.2's storage controller, in the CLC's process):
 * volumes' bytes and exports through the backend the configuration names. The CLC keeps the
 * EC2 side (records, states, limits); this keeps no state of its own beyond the backend's files,
 * so a new controller after a restart (or a kill -9) sees the same volumes and running exports.
 *
 * <p>A host that cannot run the backend still gets a controller: {@link #problem} says why,
 * and every volume call fails with {@link StorageUnavailableException} carrying that reason.
 */
public final class StorageController {
  private static final Logger LOG = LogManager.getLogger(StorageController.class);

  /** The backends by the name the backend property takes; part 2 adds "aoe". */
  private static final Map<String, BiFunction<StorageConfig, CommandRunner, VolumeBackend>> BACKENDS = Map.of(
      NbdBackend.NAME, (c, runner) -> new NbdBackend(new NbdBackend.Settings(c.volumesDir(), c.keysDir(), c.tlsDir(),
          c.stateDir(), c.exportHost(), c.firstPort(), c.lastPort(), c.daemon()), runner));

  private final VolumeBackend backend;
  private final String problem;

  private StorageController(VolumeBackend backend, String problem) {
    this.backend = backend;
    this.problem = problem;
  }

  /**
   * Builds the configured backend, checks that this host can run it and, if so, starts it
   * (clearing what an interrupted create or a vanished export left). An unknown backend name is
   * an IllegalArgumentException naming the known ones.
   */
  public static StorageController open(StorageConfig config) throws IOException {
    return open(config, new CommandRunner());
  }

  public static StorageController open(StorageConfig config, CommandRunner runner) throws IOException {
    BiFunction<StorageConfig, CommandRunner, VolumeBackend> make = BACKENDS.get(config.backend());
    if (make == null) {
      throw new IllegalArgumentException("unknown storage backend '" + config.backend() + "'; known: "
          + String.join(", ", knownBackends()));
    }
    return open(make.apply(config, runner));
  }

  /** A controller over a backend built elsewhere (part 2's aoe tests give one with a recording runner). */
  public static StorageController open(VolumeBackend backend) throws IOException {
    String problem = backend.problem();
    if (problem != null) {
      LOG.error("block storage ({} backend) cannot run: {}", backend.name(), problem);
      return new StorageController(backend, problem);
    }
    backend.start();
    LOG.info("block storage started with the {} backend", backend.name());
    return new StorageController(backend, null);
  }

  public static List<String> knownBackends() {
    return BACKENDS.keySet().stream().sorted().toList();
  }

  /** Why block storage cannot run on this host (found when the controller was opened), or null. */
  public String problem() {
    return problem;
  }

  public String backendName() {
    return backend.name();
  }

  public void createVolume(String volumeId, long sizeBytes) throws IOException {
    usable().create(volumeId, sizeBytes);
  }

  public void deleteVolume(String volumeId) throws IOException {
    usable().delete(volumeId);
  }

  /** The whole volumes the backend holds: what the CLC reconciles its records with after a restart. */
  public List<StoredVolume> listVolumes() throws IOException {
    return usable().list();
  }

  /** Exports the volume to the node and returns the remoteDev the node attaches. */
  public String exportVolume(String volumeId, String nodeAddress) throws IOException {
    return usable().export(volumeId, nodeAddress);
  }

  public void unexportVolume(String volumeId) throws IOException {
    usable().unexport(volumeId);
  }

  /** The remoteDev of the volume's running export, or null. */
  public String exportOf(String volumeId) throws IOException {
    return usable().exportOf(volumeId);
  }

  private VolumeBackend usable() throws StorageUnavailableException {
    if (problem != null) {
      throw new StorageUnavailableException(problem);
    }
    return backend;
  }
}
