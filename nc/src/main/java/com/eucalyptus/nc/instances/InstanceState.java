package com.eucalyptus.nc.instances;

/** The states an NC reports, spelled as 1.5.2's stateName (util/eucalyptus.h). */
public enum InstanceState {
  /** Accepted; images being fetched, disks built, the domain starting. */
  PENDING("Pending"),
  /** The domain runs. */
  EXTANT("Extant"),
  /** Terminated, failed to start, or gone from the hypervisor. */
  TEARDOWN("Teardown");

  private final String stateName;

  InstanceState(String stateName) {
    this.stateName = stateName;
  }

  public String stateName() {
    return stateName;
  }
}
