package com.eucalyptus.itests;

import org.junit.jupiter.api.Assumptions;

/**
 * ManagedIT's checks over VNET_TRANSPORT="vlan" (802.1q, 1.5.2's way): the same guests, groups,
 * mesh of two nodes (the switch carries the tagged frames), restarts and last terminate. Runs only
 * where the kernel has 8021q; elsewhere (our machines, CI) it is skipped with the reason printed,
 * and ManagedIT asserts that the CC and the NC refuse the vlan transport at start instead.
 */
class ManagedVlanIT extends ManagedIT {
  @Override
  String transport() {
    return "vlan";
  }

  @Override
  void skipUnlessTransportCanRun() {
    if (!has8021q()) {
      String why = "this kernel has no 8021q (ip link add … type vlan fails): the vlan transport cannot run here;"
          + " ManagedIT asserts its refusal";
      System.out.println("SKIPPED ManagedVlanIT: " + why);
      Assumptions.abort(why);
    }
  }
}
