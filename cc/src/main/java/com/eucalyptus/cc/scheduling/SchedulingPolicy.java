package com.eucalyptus.cc.scheduling;

import java.util.Locale;

/**
 * SCHEDPOLICY in eucalyptus.conf: how RunInstances picks a node. As in 1.5.2, a missing or unknown
 * value means GREEDY, though the shipped conf says ROUNDROBIN (POWERSAVE is 1.6).
 */
public enum SchedulingPolicy {
  /** The first node with room. */
  GREEDY,
  /** The next node with room after the one used last. */
  ROUNDROBIN;

  public static SchedulingPolicy parse(String value) {
    if (value == null || value.isBlank()) {
      return GREEDY;
    }
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return GREEDY;
    }
  }

  /** A fresh scheduler of this policy (ROUNDROBIN keeps its position: one per CC). */
  public Scheduler newScheduler() {
    return this == ROUNDROBIN ? new RoundRobinScheduler() : new GreedyScheduler();
  }
}
