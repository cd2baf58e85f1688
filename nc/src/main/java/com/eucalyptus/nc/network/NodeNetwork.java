package com.eucalyptus.nc.network;

import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.runtime.network.VnetKeys;
import com.eucalyptus.runtime.network.VnetMode;
import com.eucalyptus.runtime.network.transport.NetworkTransport;
import com.eucalyptus.runtime.network.transport.NetworkTransport.TransportException;
import com.eucalyptus.runtime.network.transport.NetworkTransports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The node's side of the guests' network. VNET_MODE is checked at NC start like the CC does (an
 * unknown mode stops the NC). In SYSTEM, STATIC and MANAGED-NOVLAN the guests join VNET_BRIDGE and
 * there is nothing to set up on the node: ncStartNetwork only checks that the bridge is there. In
 * MANAGED each security group's network is a bridge {@code eucabr<vlan>} of its own, built and
 * removed here through {@link GroupNetworks} (ncStartNetwork, ncStopNetwork), and a guest joins
 * the bridge of its instance's network.
 */
public final class NodeNetwork {
  private static final Logger LOG = LogManager.getLogger(NodeNetwork.class);
  private final VnetMode mode;
  private final String bridge;
  private final Path sysClassNet;
  private final GroupNetworks groups;

  /** SYSTEM, STATIC or MANAGED-NOVLAN: guests on {@code bridge}. */
  public NodeNetwork(VnetMode mode, String bridge, Path sysClassNet) {
    this(mode, bridge, sysClassNet, null);
  }

  /** MANAGED: guests on their group's bridge, made by {@code groups}. */
  public NodeNetwork(GroupNetworks groups) {
    this(VnetMode.MANAGED, null, Path.of("/sys/class/net"), groups);
  }

  private NodeNetwork(VnetMode mode, String bridge, Path sysClassNet, GroupNetworks groups) {
    if ((mode == VnetMode.MANAGED) != (groups != null)) {
      throw new IllegalArgumentException("the per-group networks are MANAGED's, and MANAGED needs them");
    }
    this.mode = mode;
    this.bridge = bridge == null || bridge.isBlank() ? null : bridge.strip();
    this.sysClassNet = sysClassNet;
    this.groups = groups;
  }

  /**
   * Reads VNET_MODE and what the mode needs on a node. SYSTEM without a bridge is allowed (as
   * before: the guests get no network interface, which the NC warns about); STATIC and
   * MANAGED-NOVLAN need VNET_BRIDGE; MANAGED needs VNET_INTERFACE (the underlay, as in the guide)
   * and a transport this host can carry (VNET_TRANSPORT, VNET_LOCALIP): one that cannot, vlan on a
   * kernel without 8021q say, stops the NC naming VNET_TRANSPORT="vxlan".
   *
   * @param peersFile where MANAGED keeps the peers of each network ({@link NetworkPeersFile})
   * @param runner runs the transport's ip/bridge commands (a test's runs them in a namespace)
   */
  public static NodeNetwork fromConf(EucalyptusConf conf, Path peersFile, CommandRunner runner) {
    VnetKeys keys = VnetKeys.of(conf);
    VnetMode mode = keys.mode();
    String bridge = keys.get("VNET_BRIDGE", null);
    if (mode == VnetMode.MANAGED) {
      String underlay = keys.get("VNET_INTERFACE", null);
      if (underlay == null) {
        throw BadConfigurationException.missing("VNET_INTERFACE", "it is needed on a node in VNET_MODE=\"MANAGED\" (the interface "
            + "that reaches the front end and the other nodes, e.g. eth0; each group's bridge eucabr<vlan> is linked through it)");
      }
      checkInterfaceName("VNET_INTERFACE", underlay);
      if (bridge != null) {
        LOG.info("VNET_BRIDGE={} is not used in VNET_MODE=\"MANAGED\": guests join their group's bridge eucabr<vlan>", bridge);
      }
      NetworkTransport transport = NetworkTransports.fromConf(keys, "VNET_INTERFACE", underlay, runner);
      String problem = transport.problem();
      if (problem != null) {
        // e.g. vlan on a kernel without 8021q: the problem names VNET_TRANSPORT="vxlan"
        throw new BadConfigurationException("eucalyptus.conf: " + problem);
      }
      return new NodeNetwork(new GroupNetworks(transport, transport.localAddress(), new NetworkPeersFile(peersFile)));
    }
    if (bridge == null && mode != VnetMode.SYSTEM) {
      throw BadConfigurationException.missing("VNET_BRIDGE", "it is needed on a node in VNET_MODE=\"" + mode
          + "\" (the bridge the instances' interfaces join, e.g. br0)");
    }
    if (bridge != null) {
      checkInterfaceName("VNET_BRIDGE", bridge);
    }
    return new NodeNetwork(mode, bridge, Path.of("/sys/class/net"));
  }

  private static void checkInterfaceName(String key, String value) {
    if (!value.matches("[^\\s/:]{1,15}")) {
      throw BadConfigurationException.of(key, value, "is not a network interface name");
    }
  }

  public VnetMode mode() {
    return mode;
  }

  /** VNET_BRIDGE, the bridge every guest joins, or null for none (and always null in MANAGED). */
  public String bridge() {
    return bridge;
  }

  /** MANAGED's per-group networks; null in the other modes. */
  public GroupNetworks groups() {
    return groups;
  }

  /** Why VNET_BRIDGE is not usable, or null when it is (not asked in MANAGED). */
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

  /**
   * ncStartNetwork's networkStatus: "SUCCESS", or "FAIL: " and the reason. MANAGED builds network
   * {@code vlan} here with {@code remoteHosts} (less this node) as its peers; the other modes
   * check VNET_BRIDGE.
   */
  public String startNetwork(int vlan, Collection<String> remoteHosts) {
    if (groups == null) {
      String problem = bridgeProblem();
      return problem == null ? "SUCCESS" : "FAIL: " + problem;
    }
    try {
      groups.start(vlan, remoteHosts);
      return "SUCCESS";
    } catch (TransportException | IOException | IllegalArgumentException e) {
      return "FAIL: " + e.getMessage();
    }
  }

  /**
   * ncStopNetwork's networkStatus. MANAGED removes network {@code vlan} from this node unless
   * {@code guestsOnIt} names a guest still on it: then it is kept and the answer says why. The
   * other modes have nothing per network to remove.
   */
  public String stopNetwork(int vlan, Supplier<List<String>> guestsOnIt) {
    if (groups == null) {
      return "SUCCESS";
    }
    try {
      groups.stop(vlan, guestsOnIt);
      return "SUCCESS";
    } catch (TransportException | IOException | IllegalArgumentException | IllegalStateException e) {
      return "FAIL: " + e.getMessage();
    }
  }

  /**
   * The bridge the NIC of an instance of network {@code vlan} joins, or null for no NIC: VNET_BRIDGE,
   * or in MANAGED the group's bridge, made now if ncStartNetwork has not reached this node yet.
   */
  public String bridgeForGuest(int vlan) throws IOException {
    if (groups == null) {
      return bridge;
    }
    try {
      return groups.bridgeForGuest(vlan);
    } catch (TransportException e) {
      throw new IOException("the bridge of network " + vlan + " could not be made: " + e.getMessage(), e);
    }
  }

  /** At NC start, after the running guests were adopted: MANAGED ensures their networks again. */
  public void restore(Collection<Integer> vlansOfRunningGuests) {
    if (groups != null) {
      groups.restore(vlansOfRunningGuests);
    }
  }
}
