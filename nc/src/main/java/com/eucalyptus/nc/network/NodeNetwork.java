package com.eucalyptus.nc.network;

import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.network.VnetKeys;
import com.eucalyptus.runtime.network.VnetMode;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The node's side of the guests' network: VNET_MODE (checked at NC start like the CC does: an
 * unknown mode, or MANAGED, which this release does not have, stops the NC) and VNET_BRIDGE, the
 * bridge the guests join in SYSTEM, STATIC and MANAGED-NOVLAN. ncStartNetwork asks
 * {@link #startNetwork}: in these modes there is nothing to set up on the node, only to check that
 * the bridge is there (the MANAGED mode's per-vlan bridges are a later release).
 */
public final class NodeNetwork {
  private final VnetMode mode;
  private final String bridge;
  private final Path sysClassNet;

  public NodeNetwork(VnetMode mode, String bridge, Path sysClassNet) {
    this.mode = mode;
    this.bridge = bridge == null || bridge.isBlank() ? null : bridge.strip();
    this.sysClassNet = sysClassNet;
  }

  /**
   * Reads VNET_MODE and VNET_BRIDGE. SYSTEM without a bridge is allowed (as before: the guests get
   * no network interface, which the NC warns about); STATIC and MANAGED-NOVLAN need one.
   */
  public static NodeNetwork fromConf(EucalyptusConf conf) {
    VnetKeys keys = VnetKeys.of(conf);
    VnetMode mode = keys.mode();
    String bridge = keys.get("VNET_BRIDGE", null);
    if (bridge == null && mode != VnetMode.SYSTEM) {
      throw BadConfigurationException.missing("VNET_BRIDGE", "it is needed on a node in VNET_MODE=\"" + mode
          + "\" (the bridge the instances' interfaces join, e.g. br0)");
    }
    if (bridge != null && !bridge.matches("[^\\s/:]{1,15}")) {
      throw BadConfigurationException.of("VNET_BRIDGE", bridge, "is not a network interface name");
    }
    return new NodeNetwork(mode, bridge, Path.of("/sys/class/net"));
  }

  public VnetMode mode() {
    return mode;
  }

  /** The bridge guests join, or null for none. */
  public String bridge() {
    return bridge;
  }

  /** Why the guests' bridge is not usable, or null when it is. */
  public String bridgeProblem() {
    if (bridge == null) {
      return "VNET_BRIDGE is not set on this node";
    }
    Path dev = sysClassNet.resolve(bridge);
    if (!Files.exists(dev)) {
      return "VNET_BRIDGE " + bridge + " does not exist on this node (brctl show lists the bridges)";
    }
    if (!Files.isDirectory(dev.resolve("bridge"))) {
      return "VNET_BRIDGE " + bridge + " is not a bridge on this node (brctl show lists the bridges)";
    }
    return null;
  }

  /** ncStartNetwork's networkStatus: "SUCCESS", or "FAIL: " and the reason. */
  public String startNetwork(int vlan) {
    String problem = bridgeProblem();
    return problem == null ? "SUCCESS" : "FAIL: " + problem;
  }
}
