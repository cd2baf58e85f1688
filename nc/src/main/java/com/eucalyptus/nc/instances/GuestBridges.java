package com.eucalyptus.nc.instances;

import java.io.IOException;

/**
 * Which bridge an instance's NIC joins: VNET_BRIDGE, or in VNET_MODE=MANAGED the bridge of the
 * instance's network (its vlan), made when it is not there yet (nc.network.NodeNetwork).
 */
@FunctionalInterface
public interface GuestBridges {
  /** The bridge; null for a guest without a NIC. A bridge that cannot be made fails the launch. */
  String bridgeFor(LaunchRequest request) throws IOException;
}
