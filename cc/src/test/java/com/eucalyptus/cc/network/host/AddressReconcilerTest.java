package com.eucalyptus.cc.network.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.eucalyptus.cc.network.model.Ipv4Block;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressReconcilerTest {
  static final String IP_ADDR_SHOW = """
      3: br0    inet 192.168.50.1/24 brd 192.168.50.255 scope global br0\\       valid_lft forever preferred_lft forever
      3: br0    inet 10.77.0.129/26 brd 10.77.0.191 scope global br0\\       valid_lft forever preferred_lft forever
      3: br0    inet 10.77.0.1/24 scope global br0\\       valid_lft forever preferred_lft forever
      3: br0    inet 10.77.0.65/26 brd 10.77.0.127 scope global br0\\       valid_lft forever preferred_lft forever
      """;

  @Test
  void parsesIpAddrShow() {
    assertEquals(List.of("192.168.50.1/24", "10.77.0.129/26", "10.77.0.1/24", "10.77.0.65/26"),
        List.copyOf(AddressReconciler.parse(IP_ADDR_SHOW)));
  }

  @Test
  void onlyTheCcsAddressesAreRemoved() {
    Ipv4Block subnet = Ipv4Block.parse("10.77.0.0/24");
    Set<String> wanted = new LinkedHashSet<>(List.of("10.77.0.129/26", "10.77.0.193/26"));
    AddressReconciler r = AddressReconciler.of(AddressReconciler.parse(IP_ADDR_SHOW), wanted,
        a -> AddressReconciler.inside(a, subnet));
    assertEquals(List.of("10.77.0.193/26"), r.add());
    // the host's own 192.168.50.1 stays; a router of another prefix is not the wanted one
    assertEquals(List.of("10.77.0.1/24", "10.77.0.65/26"), r.remove());
  }
}
