package com.eucalyptus.clc.compute.volumes;

/**
 * EC2's volume states (1.5.2's Volume.java) and the attachment states of a volume in use. Which
 * states take space: a volume being made, whole or attached holds its bytes on the storage host.
 */
public enum VolumeState {
  CREATING("creating"), AVAILABLE("available"), IN_USE("in-use"), DELETING("deleting"), DELETED("deleted"),
  FAILED("failed");

  public static final String ATTACHING = "attaching";
  public static final String ATTACHED = "attached";
  public static final String DETACHING = "detaching";
  public static final String DETACHED = "detached";

  private final String label;

  VolumeState(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static VolumeState of(String label) {
    for (VolumeState s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no volume state " + label);
  }

  /** Whether a volume in this state counts against the space for volumes. */
  public boolean takesSpace() {
    return this == CREATING || this == AVAILABLE || this == IN_USE;
  }
}
