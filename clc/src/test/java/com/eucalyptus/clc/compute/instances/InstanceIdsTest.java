package com.eucalyptus.clc.compute.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstanceIdsTest {
  @Test
  void idsLookLike152sAndATakenIdIsDrawnAgain() {
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < 1000; k++) {
      String i = InstanceIds.newInstanceId(seen::contains);
      assertTrue(i.matches("i-[0-9A-F]{8}"), i);
      assertTrue(seen.add(i));
      assertTrue(InstanceIds.newReservationId(x -> false).matches("r-[0-9A-F]{8}"));
    }
    int[] asked = new int[1];
    String id = InstanceIds.newInstanceId(x -> ++asked[0] < 3); // the first two draws are "taken"
    assertEquals(3, asked[0]);
    assertTrue(InstanceIds.isInstanceId(id));
    assertFalse(InstanceIds.isInstanceId("i-123"));
    assertFalse(InstanceIds.isInstanceId("r-0000000A"));
  }
}
