package com.eucalyptus.clc.compute.instances;

import com.eucalyptus.clc.cluster.ClusterClient.VmType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Capacity per cluster and VM type: the counts of the cluster's last DescribeResources (as the
 * cluster poller keeps them) minus what this CLC has reserved since and the CC has not counted yet.
 *
 * A hold is taken under one lock before the CC is asked to run the instances, so concurrent
 * RunInstances requests see each other's holds and never over-commit. A hold is kept while the
 * run is in flight and, once it finished, until a DescribeResources <em>sent after</em> it finished
 * has come back (its numbers then count the instances: the NC counts an instance from the moment
 * it accepted it). A failed run gives its hold back at once.
 *
 * The CC counts each VM type on its own over the same cores, memory and disk, so a hold of n
 * instances of type T takes from type U's count ⌈n × max(T.cpu/U.cpu, T.memory/U.memory,
 * T.disk/U.disk)⌉: exact for U = T, never less than what T really uses of U's room.
 */
public final class CapacityLedger {
  private final Function<String, Instant> countedAt;
  private final List<Hold> holds = new ArrayList<>();

  /** @param countedAt when the DescribeResources whose counts a cluster's status holds was sent */
  public CapacityLedger(Function<String, Instant> countedAt) {
    this.countedAt = countedAt;
  }

  /** Instances held on a cluster; {@link #finished} or {@link #release} it. */
  public final class Hold {
    final String cluster;
    final VmType type;
    int count;
    Instant finishedAt;

    Hold(String cluster, VmType type, int count) {
      this.cluster = cluster;
      this.type = type;
      this.count = count;
    }

    public int count() {
      return count;
    }

    /** The run is done and {@code started} instances were started: held until the CC counts them. */
    public void finished(int started) {
      synchronized (CapacityLedger.this) {
        if (started <= 0) {
          holds.remove(this);
          return;
        }
        count = started;
        finishedAt = Instant.now();
      }
    }

    /** The run failed: nothing was started. */
    public void release() {
      synchronized (CapacityLedger.this) {
        holds.remove(this);
      }
    }
  }

  /**
   * Holds between min and max instances of {@code type} on {@code cluster} (as many as fit, up to
   * max), or returns null when fewer than min fit.
   *
   * @param available the cluster's last DescribeResources: type name → available instances
   */
  public synchronized Hold reserve(String cluster, Map<String, Integer> available, List<VmType> types, VmType type,
      int min, int max) {
    int free = free(cluster, available, types, type);
    int n = Math.min(max, free);
    if (n < min || n <= 0) {
      return null;
    }
    Hold h = new Hold(cluster, type, n);
    holds.add(h);
    return h;
  }

  /** Instances of {@code type} that can still be started on {@code cluster}. */
  public synchronized int free(String cluster, Map<String, Integer> available, List<VmType> types, VmType type) {
    Instant counted = countedAt.apply(cluster);
    holds.removeIf(h -> h.finishedAt != null && counted.isAfter(h.finishedAt));
    int free = available.getOrDefault(type.name(), 0);
    for (Hold h : holds) {
      if (h.cluster.equals(cluster)) {
        free -= taken(h, type);
      }
    }
    return Math.max(0, free);
  }

  static int taken(Hold h, VmType of) {
    if (h.type.name().equals(of.name())) {
      return h.count;
    }
    double ratio = Math.max(ratio(h.type.cpu(), of.cpu()), Math.max(ratio(h.type.memory(), of.memory()),
        ratio(h.type.disk(), of.disk())));
    return (int) Math.ceil(h.count * ratio - 1e-9);
  }

  private static double ratio(int a, int b) {
    return b <= 0 ? 0 : (double) a / b;
  }

  /** Instances currently held (for tests and the log). */
  public synchronized int held(String cluster) {
    return holds.stream().filter(h -> h.cluster.equals(cluster)).mapToInt(h -> h.count).sum();
  }
}
