package com.eucalyptus.cc.network.managed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.cc.network.NetworkRefusal;
import com.eucalyptus.cc.network.model.Ipv4Block;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPlanTest {
  final AddressPlan plan = new AddressPlan(Ipv4Block.of("10.1.0.0", "255.255.0.0"), 32);

  @Test
  void blockKIsTheKthSliceOfTheSubnet() throws Exception {
    assertEquals("10.1.0.64/27", plan.block(2).toString());
    assertEquals("10.1.0.96/27", plan.block(3).toString());
    assertEquals("10.1.1.0/27", plan.block(8).toString());
    assertEquals(2047, plan.lastIndex());
    assertEquals("10.1.255.224/27", plan.block(2047).toString());
  }

  @Test
  void indexesOutsideTwoToLastAreRefusedAsNoCapacity() {
    for (int bad : new int[] {0, 1, -1, 2048}) {
      NetworkRefusal r = assertThrows(NetworkRefusal.class, () -> plan.block(bad));
      assertEquals("InsufficientAddressCapacity", r.code());
      assertTrue(r.getMessage().contains("2 to 2047"), r.getMessage());
    }
  }

  @Test
  void guestsGetNetPlusTwoToNetPlusNMinusTwo() throws Exception {
    Ipv4Block b = plan.block(2);
    List<String> taken = new ArrayList<>();
    String a;
    while ((a = AddressPlan.freeGuestAddress(b, taken)) != null) {
      taken.add(a);
    }
    assertEquals(29, taken.size()); // 32 less network, router, broadcast
    assertEquals("10.1.0.66", taken.get(0));
    assertEquals("10.1.0.94", taken.get(28));
    assertNull(AddressPlan.freeGuestAddress(b, taken));
    taken.remove("10.1.0.70");
    assertEquals("10.1.0.70", AddressPlan.freeGuestAddress(b, taken));
    assertTrue(AddressPlan.isGuestAddress(b, "10.1.0.66"));
    assertFalse(AddressPlan.isGuestAddress(b, "10.1.0.65")); // the router
    assertFalse(AddressPlan.isGuestAddress(b, "10.1.0.95")); // broadcast
  }
}
