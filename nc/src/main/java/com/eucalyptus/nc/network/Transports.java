package com.eucalyptus.nc.network;

import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.runtime.network.transport.NetworkTransport;

/** The node's transport for MANAGED, from VNET_TRANSPORT and VNET_LOCALIP (runtime's factory). */
final class Transports {
  private Transports() {
  }

  /** The transport and this node's own underlay address. */
  record Made(NetworkTransport transport, String localIp) {
  }

  static Made forNode(EucalyptusConf conf, String underlay, CommandRunner runner) {
    // TEMPORARY until the runtime's transports land (helper N1)
    throw new BadConfigurationException("eucalyptus.conf: VNET_MODE=\"MANAGED\": no transport yet");
  }
}
