package com.eucalyptus.cc.nodes;

import java.util.Locale;

/**
 * SCHEDPOLICY in eucalyptus.conf: how RunInstances will pick a node (it arrives with the Instances
 * issue). As in 1.5.2, a missing or unknown value means GREEDY, though the shipped conf says
 * ROUNDROBIN.
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
}
