package com.eucalyptus.cc.network;

import com.eucalyptus.cc.network.config.VnetConfig;
import com.eucalyptus.cc.network.dhcp.DhcpDaemon;
import com.eucalyptus.cc.network.host.HostNetwork;
import com.eucalyptus.cc.network.managed.TransportBridges;
import com.eucalyptus.cc.network.state.NetworkStateStore;
import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.runtime.network.VnetMode;
import com.eucalyptus.runtime.network.transport.NetworkTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The one place a {@link NetworkMode} is made from the configuration: one class per VNET_MODE, no fallback. */
public final class NetworkModes {
  private static final Logger LOG = LogManager.getLogger(NetworkModes.class);

  private NetworkModes() {
  }

  /** As {@link #create(VnetConfig, Path, Path, CommandRunner, HostNetwork, NetworkTransport, List)} for the modes without a transport. */
  public static NetworkMode create(VnetConfig config, Path netDir, Path neighbourTable, CommandRunner runner,
      HostNetwork host) {
    return create(config, netDir, neighbourTable, runner, host, null, List.of());
  }

  /**
   * @param netDir var/run/eucalyptus/net: dhcpd's files, the saved state, the iptables-preload file
   * @param neighbourTable SYSTEM: the neighbour table to read (VNET_NEIGHBOUR_TABLE, /proc/net/arp)
   * @param host the front end's firewall and addresses (the MANAGED modes)
   * @param transport MANAGED: how each network's bridge is joined to the nodes (VNET_TRANSPORT)
   * @param nodeHosts MANAGED: the hosts of NODES, the transport's peers
   */
  public static NetworkMode create(VnetConfig config, Path netDir, Path neighbourTable, CommandRunner runner,
      HostNetwork host, NetworkTransport transport, List<String> nodeHosts) {
    if (config.mode() != VnetMode.SYSTEM && !"root".equals(System.getProperty("user.name"))) {
      // not refused: VNET_DHCPDAEMON may be a wrapper that gets root (the guide suggests wrappers)
      LOG.warn("VNET_MODE {} runs dhcpd{} as this user ({}), not root: they will fail unless VNET_DHCPDAEMON is a "
          + "wrapper that gets root (EUCA_USER)", config.mode(),
          config.mode() == VnetMode.STATIC ? "" : ", iptables and ip",
          System.getProperty("user.name"));
    }
    NetworkStateStore store = new NetworkStateStore(netDir.resolve(NetworkStateStore.FILE_NAME));
    return switch (config.mode()) {
      case SYSTEM -> new SystemMode(new SystemModeAddresses(new NeighbourTable(neighbourTable, config.privateInterface()),
          new ArpProbe(config.privateInterface(), Duration.ofSeconds(5))));
      case STATIC -> new StaticMode(config, store, dhcpd(config, netDir, runner));
      case MANAGED_NOVLAN -> new ManagedNetworkMode(config, store, dhcpd(config, netDir, runner), host,
          netDir.resolve("iptables-preload"));
      case MANAGED -> new ManagedNetworkMode(config, store, dhcpd(config, netDir, runner), host,
          netDir.resolve("iptables-preload"), new TransportBridges(
              Objects.requireNonNull(transport, "MANAGED needs its VNET_TRANSPORT"), nodeHosts));
    };
  }

  private static DhcpDaemon dhcpd(VnetConfig config, Path netDir, CommandRunner runner) {
    return new DhcpDaemon(runner, config.dhcpDaemon(), config.dhcpUser(), netDir, config.privateInterface());
  }
}
