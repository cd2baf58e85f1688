package com.eucalyptus.storage.backend;

import java.io.IOException;
import java.util.List;

/**
 * Where volumes' bytes live and how a node reaches them: one implementation per backend
 * ("nbd": a sparse file exported by qemu-storage-daemon; "aoe", 1.5.2's LVM + vblade, comes
 * with snapshots). The storage controller calls only this; a backend keeps all its state on the
 * storage host's disk (files, pid files), so a restarted CLC finds every volume and export again
 * through {@link #list} and {@link #exportOf}.
 *
 * <p>Every call is idempotent and either completes or leaves nothing counted: {@link #create}
 * makes the volume under a temporary name and renames it into place last.
 */
public interface VolumeBackend {
  /** The backend's name, the value of the property that chooses it ("nbd"). */
  String name();

  /** Why this host cannot run this backend (a missing tool or kernel module), or null. */
  String problem();

  /**
   * Called once when the storage controller starts, after {@link #problem} said nothing: clears
   * what an interrupted call left (a half-made volume, the files of an export whose process has
   * gone) and prepares what exports need.
   */
  default void start() throws IOException {
  }

  /**
   * Creates volume {@code volumeId} of {@code sizeBytes} bytes, all zero. Throws
   * {@link NotEnoughSpaceException} when the storage host has too little room, and
   * IllegalArgumentException for a size that is not positive or an id that is not a plain name
   * ({@link VolumeIds}).
   */
  void create(String volumeId, long sizeBytes) throws IOException;

  /** Deletes the volume and any export of it; an unknown volume is fine. */
  void delete(String volumeId) throws IOException;

  /** Volumes whose creation completed, with their sizes: what survives a restart. */
  List<StoredVolume> list() throws IOException;

  /**
   * Exports the volume to the node at {@code nodeAddress} and returns the remoteDev string the
   * node attaches (nbd: {@code nbd://host:port/<volume id>}, served only over TLS to a client
   * holding the node certificate; docs/storage.md). Exporting an exported volume returns the
   * same export.
   */
  String export(String volumeId, String nodeAddress) throws IOException;

  /** Ends the volume's export; a volume that is not exported is fine. */
  void unexport(String volumeId) throws IOException;

  /** The remoteDev of the volume's running export, or null when it is not exported. */
  String exportOf(String volumeId) throws IOException;

  /** A volume the backend holds: its id and size in bytes. */
  record StoredVolume(String volumeId, long sizeBytes) {
  }
}
