package com.eucalyptus.cc.network.managed;

import com.eucalyptus.cc.network.NetworkRefusal;
import com.eucalyptus.runtime.network.transport.NetworkTransport;
import com.eucalyptus.runtime.network.transport.NetworkTransport.TransportException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * MANAGED: each network on the bridge {@code eucabr<vlan>} that VNET_TRANSPORT makes (vlan or
 * vxlan) on the CC as on every node. The CC's peers are every node of NODES; a node's peers
 * (ncStartNetwork's remoteHosts) are the CC's own underlay address (VNET_LOCALIP) and every other
 * node. Node names are resolved to IPv4 addresses each time, so a node renumbered in DNS is
 * followed at the next StartNetwork or CC start.
 */
public final class TransportBridges implements GroupLinks {
  private static final Logger LOG = LogManager.getLogger(TransportBridges.class);
  private final NetworkTransport transport;
  private final List<String> nodeHosts;

  /** @param nodeHosts the hosts of NODES, as written there */
  public TransportBridges(NetworkTransport transport, List<String> nodeHosts) {
    this.transport = transport;
    this.nodeHosts = List.copyOf(nodeHosts);
  }

  public NetworkTransport transport() {
    return transport;
  }

  @Override
  public String interfaceOf(int vlan) {
    return transport.bridgeName(vlan);
  }

  @Override
  public void ensure(int vlan) throws NetworkRefusal {
    try {
      transport.ensure(vlan, nodeAddresses(null));
    } catch (TransportException e) {
      throw new NetworkRefusal("network " + vlan + " cannot be set up on the front end (VNET_TRANSPORT=\""
          + transport.name() + "\"): " + e.getMessage(), e);
    }
  }

  @Override
  public void remove(int vlan) throws NetworkRefusal {
    try {
      transport.remove(vlan);
    } catch (TransportException e) {
      throw new NetworkRefusal("network " + vlan + " cannot be taken down on the front end: " + e.getMessage(), e);
    }
  }

  @Override
  public int guestMtu() {
    return transport.guestMtu();
  }

  @Override
  public boolean oneSegment() {
    return false;
  }

  /** The CC's own underlay address first, then every node but {@code nodeHost}. */
  @Override
  public List<String> remoteHosts(String nodeHost) {
    List<String> out = new ArrayList<>();
    if (transport.localAddress() != null) {
      out.add(transport.localAddress());
    }
    for (String a : nodeAddresses(nodeHost)) {
      if (!out.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }

  @Override
  public int remoteHostPort() {
    return transport.port();
  }

  @Override
  public boolean perNetworkOnNodes() {
    return true;
  }

  /** The IPv4 addresses of the nodes, {@code except} one (null: none); an unresolvable name is a WARN and left out. */
  private List<String> nodeAddresses(String except) {
    String skip = except == null ? null : resolve(except);
    Set<String> out = new LinkedHashSet<>();
    for (String h : nodeHosts) {
      String a = resolve(h);
      if (a != null && !a.equals(skip) && !h.equals(except)) {
        out.add(a);
      }
    }
    return new ArrayList<>(out);
  }

  private static String resolve(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (a instanceof Inet4Address) {
          return a.getHostAddress();
        }
      }
      LOG.warn("node {} has no IPv4 address: it is no peer of the guests' networks", host);
    } catch (UnknownHostException e) {
      LOG.warn("node {} cannot be resolved ({}): it is no peer of the guests' networks until it can", host,
          e.getMessage());
    }
    return null;
  }
}
