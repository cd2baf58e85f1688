package com.eucalyptus.clc.compute.instances;

import com.eucalyptus.clc.cluster.ClusterClient.ReportedInstance;
import com.eucalyptus.clc.persistence.InstanceEntity;
import java.time.Duration;
import java.util.Objects;

/**
 * The state machine of one instance: what the CLC believes after a poll of its cluster. Pure logic
 * (no I/O), so that the rules below are tested on their own (ReconcilerTest).
 *
 * <ul>
 * <li>A report from a node that answered (the CC's lastSeen moved, or the CC gives none) is the
 * truth: Pending → pending, Extant → running, Teardown → terminated; addresses and node are taken.
 * An instance being terminated stays shutting-down while its node still reports it alive.
 * <li>No fresh report (the node is silent and the CC repeats an old lastSeen, the CC does not list
 * it, or the CC does not answer): the last known state is kept for the grace period after it was
 * last seen, then the instance is shown shutting-down, and after twice the grace terminated —
 * unless its node reports it again first. One the CC no longer lists after it was asked to
 * terminate it is terminated at once (its node has let it go).
 * <li>A terminated instance stays visible for {@code terminatedVisible} after it ended, then is
 * forgotten. If a node reports it alive again (it came back after the grace), the cluster is
 * asked to terminate it: the CLC has told its owner it is gone.
 * </ul>
 */
public final class Reconciler {
  private Reconciler() {
  }

  /**
   * @param watchingSinceMillis when this CLC started watching: silence is counted from then at the
   *     earliest, so a CLC that was down does not declare instances lost for its own absence
   */
  public record Settings(Duration lostGrace, Duration terminatedVisible, long watchingSinceMillis) {
  }

  /** What the poller must do besides storing the row. */
  public enum Action {
    NONE,
    /** delete the row: terminated long enough ago */
    FORGET,
    /** ask the cluster to terminate it (again) */
    TERMINATE
  }

  public record Result(boolean changed, Action action) {
  }

  /**
   * @param reported the cluster's report of this instance, null when the cluster did not list it
   * @param clusterAnswered false when the cluster's DescribeInstances failed
   */
  public static Result apply(InstanceEntity row, ReportedInstance reported, boolean clusterAnswered, long nowMillis,
      Settings settings) {
    String before = fingerprint(row);
    Action action = step(row, reported, clusterAnswered, nowMillis, settings);
    return new Result(!before.equals(fingerprint(row)), action);
  }

  private static Action step(InstanceEntity row, ReportedInstance reported, boolean clusterAnswered, long now,
      Settings settings) {
    InstanceState current = InstanceState.of(row.state);
    InstanceState told = reported == null ? null : InstanceState.fromNode(reported.stateName());
    boolean fresh = reported != null && isFresh(row, reported);
    if (fresh) {
      row.lastSeenMillis = now;
      if (reported.lastSeen() != null) {
        row.ccLastSeenMillis = reported.lastSeen().toEpochMilli();
      }
    }
    if (current == InstanceState.TERMINATED) {
      if (now - row.stateMillis > settings.terminatedVisible().toMillis()) {
        return Action.FORGET;
      }
      return fresh && told != null && told.alive() ? Action.TERMINATE : Action.NONE;
    }
    if (fresh && told != null) {
      takeAddresses(row, reported);
      if (told == InstanceState.TERMINATED) {
        setState(row, InstanceState.TERMINATED, now);
        return Action.NONE;
      }
      if (row.terminateRequested) {
        setState(row, InstanceState.SHUTTING_DOWN, now);
        return Action.TERMINATE;
      }
      setState(row, told, now);
      return Action.NONE;
    }
    if (row.terminateRequested && clusterAnswered && reported == null) {
      setState(row, InstanceState.TERMINATED, now);
      return Action.NONE;
    }
    long silent = now - Math.max(row.lastSeenMillis, settings.watchingSinceMillis());
    long grace = settings.lostGrace().toMillis();
    if (silent > 2 * grace) {
      setState(row, InstanceState.TERMINATED, now);
    } else if (silent > grace) {
      setState(row, InstanceState.SHUTTING_DOWN, now);
    }
    return Action.NONE;
  }

  /** The CC heard of it from its node since the last poll (or the CC does not say when it did). */
  private static boolean isFresh(InstanceEntity row, ReportedInstance reported) {
    return reported.lastSeen() == null || reported.lastSeen().toEpochMilli() != row.ccLastSeenMillis;
  }

  private static void takeAddresses(InstanceEntity row, ReportedInstance r) {
    if (r.privateIp() != null && !r.privateIp().isBlank()) {
      row.privateIp = r.privateIp();
    }
    if (r.publicIp() != null && !r.publicIp().isBlank()) {
      row.publicIp = r.publicIp();
    }
    if (r.serviceTag() != null && !r.serviceTag().isBlank()) {
      row.serviceTag = r.serviceTag();
    }
  }

  static void setState(InstanceEntity row, InstanceState s, long now) {
    if (!s.label().equals(row.state)) {
      row.state = s.label();
      row.stateMillis = now;
    }
  }

  private static String fingerprint(InstanceEntity r) {
    return String.join("|", r.state, String.valueOf(r.stateMillis), Objects.toString(r.privateIp),
        Objects.toString(r.publicIp), Objects.toString(r.serviceTag), String.valueOf(r.lastSeenMillis),
        String.valueOf(r.ccLastSeenMillis));
  }
}
