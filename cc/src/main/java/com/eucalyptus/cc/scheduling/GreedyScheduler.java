package com.eucalyptus.cc.scheduling;

import com.eucalyptus.cc.resources.ResourceCalculator.VmType;
import java.util.List;

/** GREEDY: the first node in NODES order with room (fills one node before the next). */
public final class GreedyScheduler implements Scheduler {
  @Override
  public Candidate choose(List<Candidate> candidates, VmType type) {
    for (Candidate c : candidates) {
      if (c.fits(type)) {
        return c;
      }
    }
    return null;
  }
}
