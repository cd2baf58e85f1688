package com.eucalyptus.cc.resources;

import com.eucalyptus.cc.nodes.NodeState;
import java.util.List;

/**
 * DescribeResources' arithmetic, as the original CC did it: for each VM type, how many instances
 * fit on each node in the memory, disk and cores it has available (and, for the maximum, in all it
 * has), summed over the nodes that answered.
 */
public final class ResourceCalculator {
  private ResourceCalculator() {
  }

  /** A VM type: memory MB, cores, disk GB. */
  public record VmType(String name, int memory, int cores, int disk) {
  }

  public record Count(VmType type, int max, int available) {
  }

  public static Count count(VmType type, List<NodeState> nodes) {
    int max = 0;
    int available = 0;
    for (NodeState n : nodes) {
      if (!n.up() || n.capacity() == null) {
        continue;
      }
      NodeState.NodeCapacity c = n.capacity();
      max += fits(type, c.memoryMax(), c.diskMax(), c.coresMax());
      available += fits(type, c.memoryAvailable(), c.diskAvailable(), c.coresAvailable());
    }
    return new Count(type, max, available);
  }

  /** The scarcest of the three resources decides; a type asking 0 of something is not bound by it. */
  static int fits(VmType t, int memory, int disk, int cores) {
    long n = Long.MAX_VALUE;
    n = Math.min(n, per(memory, t.memory()));
    n = Math.min(n, per(disk, t.disk()));
    n = Math.min(n, per(cores, t.cores()));
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, n));
  }

  private static long per(int have, int need) {
    return need <= 0 ? Long.MAX_VALUE : Math.max(0, have) / need;
  }
}
