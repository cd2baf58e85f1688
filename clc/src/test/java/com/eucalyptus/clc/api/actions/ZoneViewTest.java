package com.eucalyptus.clc.api.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.cluster.ClusterClient.TypeCount;
import com.eucalyptus.clc.cluster.ClusterStatus;
import com.eucalyptus.clc.persistence.VmTypeEntity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZoneViewTest {
  @Test
  void verboseRowsAreTheOriginalsFormat() {
    ClusterStatus c = new ClusterStatus("cluster1", "10.0.0.1", 8774, true,
        Map.of("m1.small", new TypeCount("m1.small", 7, 12)),
        List.of(new ClusterStatus.NodeStatus("http://10.0.0.2:8775/axis2/services/EucalyptusNC", true, false, Instant.EPOCH)));
    List<ZoneView.Row> rows = ZoneView.verbose(c, List.of(new VmTypeEntity("m1.small", 1, 128, 2),
        new VmTypeEntity("c1.xlarge", 4, 2048, 20)));
    assertEquals(new ZoneView.Row("cluster1", "  UP 10.0.0.1"), rows.get(0));
    assertEquals(new ZoneView.Row("|- vm types", "free / max   cpu   ram  disk"), rows.get(1));
    assertEquals(new ZoneView.Row("|- m1.small", "0007 / 0012   1    128     2"), rows.get(2));
    assertEquals(new ZoneView.Row("|- c1.xlarge", "0000 / 0000   4   2048    20"), rows.get(3));
    assertEquals("|- http://10.0.0.2:8775/axis2/services/EucalyptusNC", rows.get(4).name());
    assertTrue(rows.get(4).state().startsWith("certs[cc=true,nc=false] @ "), rows.get(4).state());
  }

  @Test
  void aDownClusterShowsDownAndNoCapacity() {
    ClusterStatus c = ClusterStatus.down("c", "h", 8774, null);
    assertEquals("DOWN h", ZoneView.verbose(c, List.of()).get(0).state());
    assertEquals("unavailable", ZoneView.plain(c).state());
  }
}
