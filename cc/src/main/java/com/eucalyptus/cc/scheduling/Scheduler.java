package com.eucalyptus.cc.scheduling;

import com.eucalyptus.cc.resources.ResourceCalculator.VmType;
import java.util.List;

/** Picks the node for one instance among the candidates (up nodes, in NODES order). */
public interface Scheduler {
  /**
   * One node that answered, with what it has free now (its last reported availability less the
   * runs this CC has placed there since). {@code index} is its position in NODES.
   */
  record Candidate(int index, String serviceTag, int memoryFree, int diskFree, int coresFree) {
    public boolean fits(VmType t) {
      return memoryFree >= t.memory() && diskFree >= t.disk() && coresFree >= t.cores();
    }
  }

  /** The chosen candidate, or null when none has room. */
  Candidate choose(List<Candidate> candidates, VmType type);
}
