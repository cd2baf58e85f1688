package com.eucalyptus.cc.network;

import com.eucalyptus.cc.network.host.HostNetwork;
import com.eucalyptus.cc.network.model.HostNetworkPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A HostNetwork that records the plans it is asked to apply instead of running iptables and ip:
 * for the logic tests of the modes, which check what a mode asks of the host. The real
 * implementation (LinuxHostNetwork) is tested against the real tools on its own.
 */
public final class RecordingHostNetwork implements HostNetwork {
  public final List<HostNetworkPlan> applied = new CopyOnWriteArrayList<>();
  final List<Path> preloaded = new CopyOnWriteArrayList<>();
  public volatile String failWith;

  @Override
  public void preload(Path file) {
    preloaded.add(file);
  }

  @Override
  public void apply(HostNetworkPlan plan) throws NetworkRefusal {
    if (failWith != null) {
      throw new NetworkRefusal(null, failWith);
    }
    applied.add(plan);
  }

  public HostNetworkPlan last() {
    return applied.get(applied.size() - 1);
  }
}
