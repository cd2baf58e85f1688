package com.eucalyptus.cc.network;

import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.instances.InstancePoller;
import com.eucalyptus.cc.instances.InstanceTable;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * VNET_MODE SYSTEM: an instance's address is whatever the site's DHCP server leased to its MAC,
 * found in the neighbour table of the interface on the guests' network. Private and public address
 * are the same in this mode (there is no NAT of the cloud's). Until the guest shows up in the
 * table, the instance keeps 0.0.0.0.
 */
public final class SystemModeAddresses implements InstancePoller.AddressLearner {
  private static final Logger LOG = LogManager.getLogger(SystemModeAddresses.class);
  private final NeighbourTable neighbours;
  private final ArpProbe probe;
  private volatile String lastError;

  /** @param probe sweeps the guests' network while an address is missing; null for none */
  public SystemModeAddresses(NeighbourTable neighbours, ArpProbe probe) {
    this.neighbours = neighbours;
    this.probe = probe;
  }

  @Override
  public void learn(InstanceTable table) {
    if (table.all().stream().allMatch(Instance::hasAddress)) {
      return;
    }
    Map<String, String> byMac;
    try {
      byMac = neighbours.read();
      lastError = null;
    } catch (IOException e) {
      if (!e.toString().equals(lastError)) {
        LOG.warn("cannot read the neighbour table: {}", e.toString());
        lastError = e.toString();
      }
      return;
    }
    boolean missing = false;
    for (Instance i : table.all()) {
      if (i.hasAddress() || i.privateMac() == null) {
        continue;
      }
      String ip = byMac.get(i.privateMac().toLowerCase(Locale.ROOT));
      if (ip == null) {
        // only a running guest can have leased an address: no sweeps for pending or ending ones
        missing |= "Extant".equals(i.stateName());
      } else {
        LOG.info("instance {} ({}) has address {}", i.instanceId(), i.privateMac(), ip);
        table.update(i.instanceId(), x -> x.hasAddress() ? x : x.withAddresses(ip, ip));
      }
    }
    if (missing && probe != null) {
      probe.maybeProbe(); // the answers show up in the table by the next look
    }
  }
}
