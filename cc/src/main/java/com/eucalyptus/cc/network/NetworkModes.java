package com.eucalyptus.cc.network;

import com.eucalyptus.cc.network.config.VnetConfig;
import com.eucalyptus.cc.network.dhcp.DhcpDaemon;
import com.eucalyptus.cc.network.host.HostNetwork;
import com.eucalyptus.cc.network.state.NetworkStateStore;
import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.nio.file.Path;
import java.time.Duration;

/** The one place a {@link NetworkMode} is made from the configuration: one class per VNET_MODE, no fallback. */
public final class NetworkModes {
  private static final org.apache.logging.log4j.Logger LOG = org.apache.logging.log4j.LogManager.getLogger(NetworkModes.class);
  private NetworkModes() {
  }

  /**
   * @param netDir var/run/eucalyptus/net: dhcpd's files, the saved state, the iptables-preload file
   * @param neighbourTable SYSTEM: the neighbour table to read (VNET_NEIGHBOUR_TABLE, /proc/net/arp)
   * @param host the front end's firewall and addresses (MANAGED-NOVLAN)
   */
  public static NetworkMode create(VnetConfig config, Path netDir, Path neighbourTable, CommandRunner runner,
      HostNetwork host) {
    if (config.mode() != com.eucalyptus.runtime.network.VnetMode.SYSTEM && !"root".equals(System.getProperty("user.name"))) {
      // not refused: VNET_DHCPDAEMON may be a wrapper that gets root (the guide suggests wrappers)
      LOG.warn("VNET_MODE {} runs dhcpd{} as this user ({}), not root: they will fail unless VNET_DHCPDAEMON is a "
          + "wrapper that gets root (EUCA_USER)", config.mode(),
          config.mode() == com.eucalyptus.runtime.network.VnetMode.STATIC ? "" : ", iptables and ip",
          System.getProperty("user.name"));
    }
    NetworkStateStore store = new NetworkStateStore(netDir.resolve(NetworkStateStore.FILE_NAME));
    return switch (config.mode()) {
      case SYSTEM -> new SystemMode(new SystemModeAddresses(new NeighbourTable(neighbourTable, config.privateInterface()),
          new ArpProbe(config.privateInterface(), Duration.ofSeconds(5))));
      case STATIC -> new StaticMode(config, store, dhcpd(config, netDir, runner));
      case MANAGED_NOVLAN -> new ManagedNoVlanMode(config, store, dhcpd(config, netDir, runner), host,
          netDir.resolve("iptables-preload"));
      case MANAGED -> throw new BadConfigurationException("eucalyptus.conf: VNET_MODE=\"MANAGED\" is not implemented yet");
    };
  }

  private static DhcpDaemon dhcpd(VnetConfig config, Path netDir, CommandRunner runner) {
    return new DhcpDaemon(runner, config.dhcpDaemon(), config.dhcpUser(), netDir, config.privateInterface());
  }
}
