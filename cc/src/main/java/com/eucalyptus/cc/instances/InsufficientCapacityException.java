package com.eucalyptus.cc.instances;

/** Fewer instances could be started than RunInstances' minimum; none of them is left running. */
public final class InsufficientCapacityException extends Exception {
  public InsufficientCapacityException(String message) {
    super(message);
  }
}
