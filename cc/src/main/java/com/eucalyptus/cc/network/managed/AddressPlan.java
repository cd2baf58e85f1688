package com.eucalyptus.cc.network.managed;

import com.eucalyptus.cc.network.NetworkRefusal;
import com.eucalyptus.cc.network.model.Ipv4Block;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * MANAGED-NOVLAN's address plan, as 1.5.2's: VNET_SUBNET/VNET_NETMASK cut into blocks of
 * VNET_ADDRSPERNET addresses; block k belongs to the network with index (vlan) k. Indexes 0 and 1
 * are never used (the CLC hands out indexes from 2, as 1.5.2 did; block 0 also holds the subnet's
 * own network address), so the valid indexes are 2 to blocks-1. In a block, net+1 is the router
 * (held by the CC), guests get net+2 to net+n-2, net+n-1 is the broadcast address.
 */
public final class AddressPlan {
  public static final int FIRST_INDEX = 2;
  private final Ipv4Block subnet;
  private final int perNet;
  private final int prefix;

  /** @param perNet a power of two, at least 8, at most a third of the subnet (checked by VnetConfig) */
  public AddressPlan(Ipv4Block subnet, int perNet) {
    if (Integer.bitCount(perNet) != 1 || perNet < 4 || subnet.size() / perNet < FIRST_INDEX + 1) {
      throw new IllegalArgumentException(perNet + " addresses per network do not fit " + subnet);
    }
    this.subnet = subnet;
    this.perNet = perNet;
    this.prefix = 32 - Integer.numberOfTrailingZeros(perNet);
  }

  public Ipv4Block subnet() {
    return subnet;
  }

  public int lastIndex() {
    return (int) Math.min(Integer.MAX_VALUE, subnet.size() / perNet - 1);
  }

  /** The block of network index {@code vlan}; refused (InsufficientAddressCapacity) outside 2..last. */
  public Ipv4Block block(int vlan) throws NetworkRefusal {
    if (vlan < FIRST_INDEX || vlan > lastIndex()) {
      throw new NetworkRefusal("InsufficientAddressCapacity", "network index " + vlan + " is outside this cluster's "
          + "address plan (" + FIRST_INDEX + " to " + lastIndex() + ": VNET_SUBNET " + subnet + " in blocks of "
          + perNet + ")");
    }
    return new Ipv4Block(subnet.network() + vlan * perNet, prefix);
  }

  /** The lowest guest address of {@code block} (net+2 .. net+n-2) not in {@code taken}, or null when full. */
  public static String freeGuestAddress(Ipv4Block block, Collection<String> taken) {
    Set<String> used = new HashSet<>(taken);
    for (long k = 2; k <= block.size() - 2; k++) {
      String a = block.address(k);
      if (!used.contains(a)) {
        return a;
      }
    }
    return null;
  }

  /** Whether {@code address} is a guest address of {@code block} (not network, router or broadcast). */
  public static boolean isGuestAddress(Ipv4Block block, String address) {
    int a = Ipv4Block.parseAddress(address);
    return block.contains(a) && a != block.network() && a != block.network() + 1 && a != block.broadcast();
  }
}
