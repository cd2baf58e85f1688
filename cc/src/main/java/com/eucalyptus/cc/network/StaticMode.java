package com.eucalyptus.cc.network;

import com.eucalyptus.cc.instances.Instance;
import com.eucalyptus.cc.instances.InstanceTable;
import com.eucalyptus.cc.network.config.VnetConfig;
import com.eucalyptus.cc.network.dhcp.DhcpDaemon;
import com.eucalyptus.cc.network.dhcp.DhcpdConfig;
import com.eucalyptus.cc.network.state.NetworkState;
import com.eucalyptus.cc.network.state.NetworkState.Assignment;
import com.eucalyptus.cc.network.state.NetworkStateStore;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * VNET_MODE STATIC: each new instance takes the first MAC=IP pair of VNET_MACMAP that no other
 * instance holds (first come, first served); the instance runs with the map's MAC, and the CC's
 * dhcpd gives that MAC its IP on VNET_SUBNET (routers VNET_ROUTER, broadcast VNET_BROADCAST, DNS
 * VNET_DNS). The public address is the private one. No security groups, no elastic IPs, no
 * metadata, as the guide says: StartNetwork/StopNetwork/ConfigureNetwork do nothing and the
 * address operations are UnsupportedOperation.
 */
public final class StaticMode extends UnmanagedMode {
  private static final Logger LOG = LogManager.getLogger(StaticMode.class);
  private final VnetConfig config;
  private final NetworkStateStore store;
  private final DhcpDaemon dhcpd;
  private NetworkState state = NetworkState.EMPTY;

  public StaticMode(VnetConfig config, NetworkStateStore store, DhcpDaemon dhcpd) {
    this.config = config;
    this.store = store;
    this.dhcpd = dhcpd;
  }

  @Override
  public String name() {
    return "STATIC";
  }

  @Override
  public synchronized void start() throws NetworkRefusal {
    NetworkState saved;
    try {
      saved = store.load();
    } catch (IOException e) {
      throw new NetworkRefusal("cannot read the saved network state (move it away to start afresh): " + e.getMessage(), e);
    }
    Map<String, Assignment> kept = new LinkedHashMap<>();
    for (Assignment a : saved.assignments().values()) {
      if (a.ip().equals(config.macMap().get(a.mac()))) {
        kept.put(a.instanceId(), a);
      } else {
        LOG.warn("instance {} had {}={}, which VNET_MACMAP no longer has: it keeps running with that, but the CC "
            + "no longer serves it", a.instanceId(), a.mac(), a.ip());
      }
    }
    LOG.info("STATIC: {} of {} VNET_MACMAP pair(s) in use after start", kept.size(), config.macMap().size());
    commit(new NetworkState(saved.cloudIp(), Map.of(), Map.of(), kept, Map.of()));
  }

  @Override
  public synchronized Instance admit(Instance instance) throws NetworkRefusal {
    Assignment a = state.assignments().get(instance.instanceId());
    if (a == null) {
      Set<String> used = state.assignments().values().stream().map(Assignment::mac).collect(Collectors.toSet());
      Map.Entry<String, String> free = config.macMap().entrySet().stream().filter(e -> !used.contains(e.getKey()))
          .findFirst().orElseThrow(() -> new NetworkRefusal("InsufficientAddressCapacity", "all "
              + config.macMap().size() + " MAC=IP pairs of VNET_MACMAP are in use on this cluster"));
      a = new Assignment(instance.instanceId(), free.getKey(), free.getValue(), 0, null);
      Map<String, Assignment> next = new LinkedHashMap<>(state.assignments());
      next.put(a.instanceId(), a);
      commit(new NetworkState(state.cloudIp(), Map.of(), Map.of(), next, Map.of()));
      LOG.info("instance {} gets {} = {} (VNET_MACMAP)", instance.instanceId(), a.mac(), a.ip());
    }
    return instance.withNetwork(a.mac(), a.ip(), a.ip());
  }

  @Override
  public synchronized void released(Instance instance) {
    if (!state.assignments().containsKey(instance.instanceId())) {
      return;
    }
    Map<String, Assignment> next = new LinkedHashMap<>(state.assignments());
    Assignment a = next.remove(instance.instanceId());
    try {
      commit(new NetworkState(state.cloudIp(), Map.of(), Map.of(), next, Map.of()));
      LOG.info("instance {} is gone: {} = {} is free again", instance.instanceId(), a.mac(), a.ip());
    } catch (NetworkRefusal e) {
      LOG.error("instance {} is gone but its pair {} = {} could not be freed: {}", instance.instanceId(), a.mac(), a.ip(),
          e.getMessage());
    }
  }

  /** Instances learnt from the nodes after a restart get their pair back; an ended one frees it. */
  @Override
  public void learn(InstanceTable table) {
    for (Instance i : table.all()) {
      Assignment a;
      synchronized (this) {
        a = state.assignments().get(i.instanceId());
      }
      if (a == null) {
        continue;
      }
      if ("Teardown".equals(i.stateName())) {
        released(i);
      } else if (!Objects.equals(a.ip(), i.privateIp()) || !Objects.equals(a.ip(), i.publicIp())) {
        table.update(i.instanceId(), x -> x.withAddresses(a.ip(), a.ip()));
      }
    }
  }

  /** Saves {@code next}, then makes dhcpd serve it; the state changes only once saved. */
  private void commit(NetworkState next) throws NetworkRefusal {
    try {
      store.save(next);
    } catch (IOException e) {
      throw new NetworkRefusal("cannot save the network state in " + store.file() + ": " + e.getMessage(), e);
    }
    state = next;
    DhcpdConfig.Subnet subnet = new DhcpdConfig.Subnet(config.subnet(), config.router(), config.broadcast(), config.dns());
    List<DhcpdConfig.Host> hosts = next.assignments().values().stream()
        .map(a -> new DhcpdConfig.Host(a.mac(), a.ip())).toList();
    try {
      dhcpd.serve(DhcpdConfig.render(List.of(subnet), hosts));
    } catch (IOException e) {
      // the instance still runs; without dhcpd it gets no address, which the log must say loudly
      LOG.error("the guests' DHCP server is not serving: {}", e.getMessage());
    }
  }

  /** For tests: the pairs in use. */
  synchronized Map<String, Assignment> assignments() {
    return state.assignments();
  }
}
