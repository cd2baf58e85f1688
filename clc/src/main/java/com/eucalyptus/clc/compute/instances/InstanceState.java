package com.eucalyptus.clc.compute.instances;

import java.util.Locale;

/** EC2's instance states with their codes, and how the NC's state names (1.5.2) map onto them. */
public enum InstanceState {
  PENDING(0, "pending"),
  RUNNING(16, "running"),
  SHUTTING_DOWN(32, "shutting-down"),
  TERMINATED(48, "terminated");

  private final int code;
  private final String label;

  InstanceState(int code, String label) {
    this.code = code;
    this.label = label;
  }

  public int code() {
    return code;
  }

  /** The name EC2 answers (and the database keeps). */
  public String label() {
    return label;
  }

  public static InstanceState of(String label) {
    for (InstanceState s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no instance state " + label);
  }

  /**
   * The NC's stateName as the CC passes it on: Pending → pending, Extant → running, Teardown (the
   * domain is destroyed and its files gone) → terminated; null for a name it does not know.
   */
  public static InstanceState fromNode(String stateName) {
    if (stateName == null) {
      return null;
    }
    return switch (stateName.toLowerCase(Locale.ROOT)) {
      case "pending" -> PENDING;
      case "extant", "running" -> RUNNING;
      case "teardown", "terminated" -> TERMINATED;
      default -> null;
    };
  }

  /** Pending or running: the guest exists (or is being made) on a node. */
  public boolean alive() {
    return this == PENDING || this == RUNNING;
  }

  /** A state the poller watches closely: it changes within seconds. */
  public boolean transitional() {
    return this == PENDING || this == SHUTTING_DOWN;
  }
}
