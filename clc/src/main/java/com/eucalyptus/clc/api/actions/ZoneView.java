package com.eucalyptus.clc.api.actions;

import com.eucalyptus.clc.cluster.ClusterClient;
import com.eucalyptus.clc.cluster.ClusterStatus;
import com.eucalyptus.clc.persistence.VmTypeEntity;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The rows of describe-availability-zones: one per cluster, and for an admin asking "verbose"
 * exactly the original's table (ClusterEndpoint.java of 1.5.2).
 */
public final class ZoneView {
  private ZoneView() {
  }

  public record Row(String name, String state) {
  }

  public static Row plain(ClusterStatus c) {
    return new Row(c.name(), c.up() ? "available" : "unavailable");
  }

  public static List<Row> verbose(ClusterStatus c, List<VmTypeEntity> types) {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row(c.name(), String.format("%4s %s", c.up() ? "UP" : "DOWN", c.host())));
    rows.add(new Row("|- vm types", "free / max   cpu   ram  disk"));
    for (VmTypeEntity t : types) {
      ClusterClient.TypeCount n = c.counts().get(t.name);
      int free = n == null || !c.up() ? 0 : n.available();
      int max = n == null || !c.up() ? 0 : n.max();
      rows.add(new Row("|- " + t.name, String.format("%04d / %04d  %2d   %4d  %4d", free, max, t.cpu, t.memory, t.disk)));
    }
    for (ClusterStatus.NodeStatus n : c.nodes()) {
      rows.add(new Row("|- " + n.serviceTag(), String.format("certs[cc=%s,nc=%s] @ %s", n.ccCertOk(), n.ncCertOk(),
          Date.from(n.lastSeen()))));
    }
    return rows;
  }
}
