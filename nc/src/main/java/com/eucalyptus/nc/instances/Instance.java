package com.eucalyptus.nc.instances;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance on this node: what it was launched with, where its files are and its state. The
 * state changes under the instance's own lock.
 */
public final class Instance {
  private final LaunchRequest request;
  private final Path dir;
  private final Instant launchTime;
  private InstanceState state = InstanceState.PENDING;
  private boolean terminateRequested;
  private Instant teardownSince;
  private String failure;
  /** by volume id, in attach order */
  private final Map<String, VolumeAttachment> volumes = new LinkedHashMap<>();
  /** held by a volume attach or detach of this instance (not the state lock: describe must not wait for a hot-plug) */
  final Object volumeOperations = new Object();

  Instance(LaunchRequest request, Path dir, Instant launchTime, InstanceState state) {
    this.request = request;
    this.dir = dir;
    this.launchTime = launchTime;
    this.state = state;
  }

  public String id() {
    return request.instanceId();
  }

  public LaunchRequest request() {
    return request;
  }

  public Path dir() {
    return dir;
  }

  public Instant launchTime() {
    return launchTime;
  }

  public Path consoleLog() {
    return dir.resolve("console.log");
  }

  public synchronized InstanceState state() {
    return state;
  }

  /** Why the launch failed, if it did. */
  public synchronized String failure() {
    return failure;
  }

  synchronized boolean terminateRequested() {
    return terminateRequested;
  }

  synchronized void requestTerminate() {
    terminateRequested = true;
  }

  synchronized void toExtant() {
    if (state == InstanceState.PENDING) {
      state = InstanceState.EXTANT;
    }
  }

  synchronized void toTeardown(String why) {
    if (state != InstanceState.TEARDOWN) {
      state = InstanceState.TEARDOWN;
      teardownSince = Instant.now();
      volumes.clear(); // the guest, and with it every disk, is gone
      if (why != null && failure == null) {
        failure = why;
      }
    }
  }

  synchronized Instant teardownSince() {
    return teardownSince;
  }

  /** The volumes attached or being attached or detached now. */
  public synchronized List<VolumeAttachment> volumes() {
    return new ArrayList<>(volumes.values());
  }

  synchronized VolumeAttachment volume(String volumeId) {
    return volumes.get(volumeId);
  }

  synchronized void putVolume(VolumeAttachment v) {
    volumes.put(v.volumeId(), v);
  }

  synchronized void removeVolume(String volumeId) {
    volumes.remove(volumeId);
  }

  /** Whether it holds node resources (memory, cores, disk) now. */
  public synchronized boolean holdsResources() {
    return state != InstanceState.TEARDOWN;
  }

  @Override
  public String toString() {
    return id() + "(" + state() + ")";
  }
}
