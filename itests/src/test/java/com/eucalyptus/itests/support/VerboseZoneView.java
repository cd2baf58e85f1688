package com.eucalyptus.itests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The admin's `describe-availability-zones verbose` table, as a client prints it, and its checks. */
public final class VerboseZoneView {
  /** name, cores, memory MB, disk GB: the VM types a first start creates. */
  public static final Object[][] VM_TYPES = {
      {"m1.small", 1, 128, 2}, {"c1.medium", 1, 256, 5}, {"m1.large", 2, 512, 10},
      {"m1.xlarge", 2, 1024, 20}, {"c1.xlarge", 4, 2048, 20}};
  public static final String NODE_ROW = "|- http://127.0.0.1:8775/axis2/services/EucalyptusNC";

  private VerboseZoneView() {
  }

  /** Lines of "name TAB state" (boto script, awscli text output) as pairs. */
  public static List<String[]> parseTabbed(String out) {
    return out.lines().filter(l -> l.contains("\t")).map(l -> l.split("\t", 2)).toList();
  }

  /** Fetches until the cluster is UP and a node row shows both certificate checks passed. */
  public static List<String[]> awaitReady(String cluster, Supplier<List<String[]>> fetch) {
    return CloudInstallation.await(Duration.ofSeconds(90), "cluster UP with a node whose certs check", () -> {
      List<String[]> rows = fetch.get();
      boolean up = rows.stream().anyMatch(r -> r[0].equals(cluster) && r[1].trim().startsWith("UP"));
      boolean node = rows.stream().anyMatch(r -> r[0].contains("EucalyptusNC") && r[1].contains("certs[cc=true,nc=true]"));
      return up && node ? rows : null;
    });
  }

  /** The cluster row, the vm-types table with counts that match this host, and the node row. */
  public static void check(CloudInstallation cloud, String cluster, List<String[]> rows) {
    Map<String, String> byName = new LinkedHashMap<>();
    rows.forEach(r -> byName.put(r[0], r[1]));
    assertTrue(String.valueOf(byName.get(cluster)).matches("\\s*UP 127\\.0\\.0\\.1"), "cluster row: '" + byName.get(cluster) + "'");
    assertEquals("free / max   cpu   ram  disk", byName.get("|- vm types"));
    HostResources host = HostResources.read(cloud.home().resolve("instances"));
    Pattern row = Pattern.compile("(\\d{4}) / (\\d{4})\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)");
    for (Object[] t : VM_TYPES) {
      String value = byName.get("|- " + t[0]);
      Matcher m = row.matcher(value == null ? "" : value);
      assertTrue(m.matches(), t[0] + " row: '" + value + "'");
      long expected = host.fits((int) t[1], (int) t[2], (int) t[3]);
      assertEquals(expected, Long.parseLong(m.group(1)), t[0] + " free, host " + host);
      assertEquals(expected, Long.parseLong(m.group(2)), t[0] + " max, host " + host);
      assertEquals(List.of(t[1], t[2], t[3]).toString(),
          List.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))).toString());
    }
    assertTrue(byName.containsKey(NODE_ROW), "node row in " + byName.keySet());
    assertTrue(byName.get(NODE_ROW).startsWith("certs[cc=true,nc=true] @ "), byName.get(NODE_ROW));
  }
}
