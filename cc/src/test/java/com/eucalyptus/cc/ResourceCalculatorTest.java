package com.eucalyptus.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.eucalyptus.cc.nodes.NodeEndpoint;
import com.eucalyptus.cc.nodes.NodeState;
import com.eucalyptus.cc.nodes.NodeState.NodeCapacity;
import com.eucalyptus.cc.resources.ResourceCalculator;
import com.eucalyptus.cc.resources.ResourceCalculator.VmType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceCalculatorTest {
  static final VmType SMALL = new VmType("m1.small", 128, 1, 2);
  static final VmType LARGE = new VmType("m1.large", 512, 2, 10);
  static final VmType CXL = new VmType("c1.xlarge", 2048, 4, 20);

  static NodeState node(String host, boolean up, NodeCapacity c) {
    return new NodeState(new NodeEndpoint(host, 8775, "http://" + host + ":8775/axis2/services/EucalyptusNC"), up, c,
        Instant.now(), null, null);
  }

  @Test
  void perNodeFitsAreSummedAndTheScarcestResourceDecides() {
    List<NodeState> nodes = List.of(
        // 4 GB, 100 GB, 2 cores: cores decide for small (2) and large (1); c1.xlarge needs 4 cores: 0
        node("a", true, new NodeCapacity(4096, 4096, 100, 100, 2, 2)),
        // 1 GB, 15 GB, 8 cores, half used: memory decides small max 8 / avail 4; disk decides large max 1 / avail 0
        node("b", true, new NodeCapacity(1024, 512, 15, 7, 8, 4)));
    assertEquals(new ResourceCalculator.Count(SMALL, 2 + 7, 2 + 3), ResourceCalculator.count(SMALL, nodes));
    assertEquals(new ResourceCalculator.Count(LARGE, 1 + 1, 1 + 0), ResourceCalculator.count(LARGE, nodes));
    assertEquals(new ResourceCalculator.Count(CXL, 0, 0), ResourceCalculator.count(CXL, nodes));
  }

  @Test
  void nodesThatDidNotAnswerAreLeftOut() {
    List<NodeState> nodes = List.of(node("a", true, new NodeCapacity(4096, 4096, 100, 100, 4, 4)),
        node("b", false, null));
    assertEquals(4, ResourceCalculator.count(SMALL, nodes).max());
  }

  @Test
  void nodesEntriesTakeHostOrHostPort() {
    List<NodeEndpoint> n = NodeEndpoint.parseNodes(" 10.0.0.2  10.0.0.3:9000 10.0.0.2 ", 8775, "axis2/services/EucalyptusNC");
    assertEquals(2, n.size());
    assertEquals("http://10.0.0.2:8775/axis2/services/EucalyptusNC", n.get(0).url());
    assertEquals("http://10.0.0.3:9000/axis2/services/EucalyptusNC", n.get(1).url());
    assertThrows(IllegalArgumentException.class, () -> NodeEndpoint.parseNodes("h:port", 8775, "x"));
  }
}
