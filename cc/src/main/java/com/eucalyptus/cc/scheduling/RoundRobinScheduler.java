package com.eucalyptus.cc.scheduling;

import com.eucalyptus.cc.resources.ResourceCalculator.VmType;
import java.util.List;

/**
 * ROUNDROBIN: the first node with room at or after the saved position in NODES, wrapping around;
 * the position then moves past the node chosen, as the original's saved index did.
 */
public final class RoundRobinScheduler implements Scheduler {
  private int next;

  @Override
  public synchronized Candidate choose(List<Candidate> candidates, VmType type) {
    Candidate wrapped = null;
    for (Candidate c : candidates) {
      if (!c.fits(type)) {
        continue;
      }
      if (c.index() >= next) {
        next = c.index() + 1;
        return c;
      }
      if (wrapped == null) {
        wrapped = c;
      }
    }
    if (wrapped != null) {
      next = wrapped.index() + 1;
    }
    return wrapped;
  }
}
