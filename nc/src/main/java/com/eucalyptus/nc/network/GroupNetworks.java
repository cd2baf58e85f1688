package com.eucalyptus.nc.network;

import com.eucalyptus.runtime.network.transport.NetworkTransport;
import com.eucalyptus.runtime.network.transport.NetworkTransport.TransportException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * VNET_MODE=MANAGED on a node: the security groups' networks (one per network index, the "vlan"
 * the CLC gave the group) that this node carries, each a bridge {@code eucabr<vlan>} joined to the
 * CC and the other nodes by the transport (VNET_TRANSPORT). The peers the CC sent for each network
 * are kept in {@link NetworkPeersFile}, so a restarted NC builds the same thing again. Every
 * method holds this object's lock, so a stop cannot pass between a launch's check and its bridge.
 */
public final class GroupNetworks {
  private static final Logger LOG = LogManager.getLogger(GroupNetworks.class);
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private final NetworkTransport transport;
  private final String localIp;
  private final NetworkPeersFile peersFile;

  /**
   * @param localIp this node's own underlay address (VNET_LOCALIP), left out of the peers the CC
   *     sends, which name every host carrying the network, this one included
   */
  public GroupNetworks(NetworkTransport transport, String localIp, NetworkPeersFile peersFile) {
    this.transport = transport;
    this.localIp = localIp;
    this.peersFile = peersFile;
  }

  public NetworkTransport transport() {
    return transport;
  }

  public String localIp() {
    return localIp;
  }

  /**
   * ncStartNetwork: records the peers, then makes the network exist here with them (forwarding
   * entries of peers no longer listed are replaced by the transport). Returns the bridge.
   *
   * @throws IllegalArgumentException a vlan or remote host that cannot be used
   */
  public synchronized String start(int vlan, Collection<String> remoteHosts) throws TransportException, IOException {
    checkVlan(vlan);
    List<String> peers = peers(remoteHosts);
    // recorded before the change, so a crash in between still rebuilds with what the CC asked
    peersFile.put(vlan, peers);
    String bridge = transport.ensure(vlan, peers);
    LOG.info("network {} ({}): bridge {} up, peers {}", vlan, transport.name(), bridge, peers);
    return bridge;
  }

  /**
   * The bridge a guest of network {@code vlan} joins. Made here when ncRunInstance arrived before
   * ncStartNetwork (with the peers last known for the network, none if never told): ensure is
   * idempotent, so asking for a bridge that is there changes nothing.
   */
  public synchronized String bridgeForGuest(int vlan) throws TransportException, IOException {
    checkVlan(vlan);
    List<String> peers = peersFile.read().getOrDefault(vlan, List.of());
    return transport.ensure(vlan, peers);
  }

  /**
   * ncStopNetwork: removes the network's bridge and link from this node and forgets its peers,
   * unless a guest of this node is still on it ({@code guestsOnIt} is asked under the lock).
   *
   * @throws IllegalStateException naming the guests when some still run on the network
   */
  public synchronized void stop(int vlan, Supplier<List<String>> guestsOnIt) throws TransportException, IOException {
    checkVlan(vlan);
    List<String> guests = guestsOnIt.get();
    if (!guests.isEmpty()) {
      throw new IllegalStateException("network " + vlan + " is kept on this node: instance" + (guests.size() == 1 ? " " : "s ")
          + String.join(", ", guests) + " still run" + (guests.size() == 1 ? "s" : "") + " on " + transport.bridgeName(vlan));
    }
    transport.remove(vlan);
    peersFile.remove(vlan);
    LOG.info("network {} ({}): bridge {} removed", vlan, transport.name(), transport.bridgeName(vlan));
  }

  /**
   * At NC start: the networks of the guests still running are ensured again with their recorded
   * peers (a restart must not cut them: nothing is removed first). A failure is logged and the
   * others go on; the CC's next ncStartNetwork tries again.
   */
  public synchronized void restore(Collection<Integer> vlansOfRunningGuests) {
    Map<Integer, List<String>> recorded;
    try {
      recorded = peersFile.read();
    } catch (IOException e) {
      LOG.error("cannot read {}: {}; running guests' networks are ensured without their peers", peersFile.file(), e.getMessage());
      recorded = Map.of();
    }
    for (int vlan : new TreeSet<>(vlansOfRunningGuests)) {
      List<String> peers = recorded.getOrDefault(vlan, List.of());
      try {
        checkVlan(vlan);
        String bridge = transport.ensure(vlan, peers);
        LOG.info("network {} ({}) of running guests ensured again at start: bridge {}, peers {}", vlan, transport.name(), bridge,
            peers);
      } catch (TransportException | IllegalArgumentException e) {
        LOG.error("network {} of running guests could not be ensured at start: {}", vlan, e.getMessage());
      }
    }
  }

  /** A network index the node can carry: from 1 (0 means the CC sent none). */
  public static void checkVlan(int vlan) {
    if (vlan < 1) {
      throw new IllegalArgumentException("VNET_MODE=\"MANAGED\" needs the network index (vlan) of the instance's group, got " + vlan);
    }
  }

  /**
   * remoteHosts without blanks, repeats and this node's own address. With vxlan each one must be
   * an IPv4 address (a forwarding entry per peer); vlan reaches the others through the switch and
   * ignores them (1.5.2's CC sent {@code localhost} there).
   */
  List<String> peers(Collection<String> remoteHosts) {
    List<String> peers = new ArrayList<>();
    for (String h : remoteHosts == null ? List.<String>of() : remoteHosts) {
      String host = h == null ? "" : h.strip();
      if (host.isEmpty() || host.equals(localIp) || peers.contains(host)) {
        continue;
      }
      if (!"vlan".equals(transport.name()) && !IPV4.matcher(host).matches()) {
        throw new IllegalArgumentException("remoteHosts \"" + host + "\" is not an IPv4 address (VNET_TRANSPORT=\"" + transport.name()
            + "\" needs each host's underlay address)");
      }
      peers.add(host);
    }
    return peers;
  }
}
