package com.eucalyptus.clc.compute.instances;

import com.eucalyptus.clc.cluster.CcStatus;
import com.eucalyptus.clc.cluster.ClusterClient;
import com.eucalyptus.clc.cluster.ClusterStatus;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.compute.addresses.AddressPool;
import com.eucalyptus.clc.compute.network.GroupNetworks;
import com.eucalyptus.clc.persistence.ClusterEntity;
import com.eucalyptus.clc.persistence.InstanceEntity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * RunInstances once the request is checked: picks the cluster (the availability zone asked for,
 * else the first UP cluster with room), holds the capacity, stores the instances as pending, has
 * the cluster's CC set up the groups' networks (StartNetwork, ConfigureNetwork) and start them —
 * all of them between MinCount and MaxCount, or none — and gives each a public address when one is
 * free (unless AddressingType=private).
 */
public final class Launcher {
  private static final Logger LOG = LogManager.getLogger(Launcher.class);
  private final Instances store;
  private final Clusters clusters;
  private final ClusterClient client;
  private final CapacityLedger ledger;
  private final Runnable refreshCapacity;
  private final Runnable wakePoller;
  private final LongSupplier clock;
  private final GroupNetworks networks;
  private final AddressPool addresses;

  /**
   * @param refreshCapacity asks the clusters for their resources now (DescribeResources), so that a
   *     run refused on the last periodic counts (say, just after a terminate freed a node) is
   *     judged once more on fresh ones before the user is told there is no room
   */
  public Launcher(Instances store, Clusters clusters, ClusterClient client, CapacityLedger ledger,
      Runnable refreshCapacity, Runnable wakePoller, LongSupplier clock, GroupNetworks networks, AddressPool addresses) {
    this.store = store;
    this.clusters = clusters;
    this.client = client;
    this.ledger = ledger;
    this.refreshCapacity = refreshCapacity;
    this.wakePoller = wakePoller;
    this.clock = clock;
    this.networks = networks;
    this.addresses = addresses;
  }

  /**
   * A checked RunInstances request. The image, kernel and ramdisk ids come with the URLs of their
   * manifests in Walrus, where the NC fetches them; keyText is the key's OpenSSH line (or null),
   * userData base64 ("" when none); privateAddressing: AddressingType=private, no public address.
   */
  public record Request(String owner, int minCount, int maxCount, String zone, ClusterClient.VmType type, String imageId,
      String manifestLocation, String imageUrl, String kernelId, String kernelUrl, String ramdiskId, String ramdiskUrl,
      String productCodes, String keyName, String keyText, String userData, List<String> groups,
      boolean privateAddressing) {
  }

  /** @return the instances started, in launch-index order, stored as pending */
  public List<InstanceEntity> launch(Request r) {
    ClusterEntity cluster = null;
    CapacityLedger.Hold hold = null;
    List<ClusterClient.VmType> types = clusters.vmTypes().stream()
        .map(v -> new ClusterClient.VmType(v.name, v.cpu, v.memory, v.disk)).toList();
    boolean zoneKnown = r.zone() == null;
    for (int attempt = 0; attempt < 2 && hold == null; attempt++) {
      if (attempt == 1) {
        refreshCapacity.run();
      }
      for (ClusterEntity c : clusters.registered()) {
        if (r.zone() != null && !r.zone().equals(c.name)) {
          continue;
        }
        zoneKnown = true;
        ClusterStatus status = clusters.status(c);
        if (!status.up()) {
          continue;
        }
        Map<String, Integer> available = new HashMap<>();
        status.counts().forEach((name, tc) -> available.put(name, tc.available()));
        hold = ledger.reserve(c.name, available, types, r.type(), r.minCount(), r.maxCount());
        if (hold != null) {
          cluster = c;
          break;
        }
      }
      if (!zoneKnown) {
        break;
      }
    }
    if (!zoneKnown) {
      throw new LaunchRefused("InvalidParameterValue", "There is no availability zone named " + r.zone());
    }
    if (hold == null) {
      throw new LaunchRefused("InsufficientInstanceCapacity", "Not enough resources available for " + r.minCount() + " "
          + r.type().name() + " instance(s)" + (r.zone() == null ? "" : " in " + r.zone()));
    }
    List<InstanceEntity> rows = newRows(r, cluster.name, hold.count());
    List<String> ids = rows.stream().map(x -> x.instanceId).toList();
    store.addAll(rows); // before the networks: a group with a stored instance keeps its index
    int vlan;
    try {
      vlan = networks.prepare(r.owner(), r.groups(), cluster);
    } catch (CcStatus.Refused e) {
      undo(hold, ids);
      throw new LaunchRefused(e.code(), e.getMessage());
    } catch (Exception e) {
      undo(hold, ids);
      LOG.warn("the networks of {} on cluster {} could not be set up: {}", r.groups(), cluster.name, e.toString());
      throw new LaunchRefused("InsufficientInstanceCapacity", "The cluster " + cluster.name + " could not set up "
          + "the network: " + e.getMessage());
    }
    ClusterClient.Launched launched;
    try {
      launched = client.runInstances(cluster.host, cluster.port, new ClusterClient.Launch(rows.get(0).reservationId, ids,
          r.minCount(), r.owner(), r.imageId(), r.imageUrl(), r.kernelId(), r.kernelUrl(), r.ramdiskId(), r.ramdiskUrl(),
          r.type(), r.keyText(), r.userData(), 0, r.groups(), vlan, ids.stream().map(InstanceIds::mac).toList()));
    } catch (Exception e) {
      undo(hold, ids);
      LOG.warn("RunInstances on cluster {} failed: {}", cluster.name, e.toString());
      try {
        client.terminateInstances(cluster.host, cluster.port, ids); // it may have started them after all
      } catch (Exception ignored) {
        // the cluster is not answering: its instances, if any, are not ours
      }
      throw new LaunchRefused("InsufficientInstanceCapacity", "The cluster " + cluster.name + " could not start the "
          + "instances: " + e.getMessage());
    }
    Set<String> started = new HashSet<>();
    Map<String, ClusterClient.ReportedInstance> byId = new HashMap<>();
    for (ClusterClient.ReportedInstance i : launched.instances()) {
      started.add(i.instanceId());
      byId.put(i.instanceId(), i);
    }
    if (!launched.started() || started.size() < r.minCount()) {
      undo(hold, ids);
      CcStatus why = CcStatus.parse(launched.message(), "InsufficientInstanceCapacity");
      if (launched.started() || why.code().equals("InsufficientInstanceCapacity")) {
        String msg = launched.started() ? "" : why.message();
        throw new LaunchRefused("InsufficientInstanceCapacity", "Not enough resources available for " + r.minCount()
            + " " + r.type().name() + " instance(s) in " + cluster.name + (msg.isBlank() ? "" : ": " + msg));
      }
      // the network's refusals (docs/network.md), e.g. two groups in MANAGED-NOVLAN: the CC's own words
      throw new LaunchRefused(why.code(), why.message());
    }
    hold.finished(started.size());
    List<String> notStarted = ids.stream().filter(id -> !started.contains(id)).toList();
    store.remove(notStarted);
    List<InstanceEntity> out = new ArrayList<>();
    for (InstanceEntity row : rows) {
      ClusterClient.ReportedInstance rep = byId.get(row.instanceId);
      if (rep == null) {
        continue;
      }
      store.update(row.instanceId, e -> {
        if (rep.serviceTag() != null) {
          e.serviceTag = rep.serviceTag();
        }
        // the private address the CC gave it (0.0.0.0 in SYSTEM mode until learnt); public = private until assigned
        if (known(rep.privateIp())) {
          e.privateIp = rep.privateIp();
        }
        if (known(rep.publicIp())) {
          e.publicIp = rep.publicIp();
        }
      });
      if (!r.privateAddressing()) {
        try {
          addresses.assignAtLaunch(row.instanceId);
        } catch (RuntimeException e) {
          // the instance runs: its owner must hear of it, with or without a public address
          LOG.error("no public address for {}: {}", row.instanceId, e.toString(), e);
        }
      }
      store.find(row.instanceId).ifPresent(out::add);
    }
    LOG.info("reservation {} of {}: {} on cluster {}", rows.get(0).reservationId, r.owner(),
        out.stream().map(x -> x.instanceId).toList(), cluster.name);
    wakePoller.run();
    return out;
  }

  /** A launch that did not happen: its hold back, its rows gone, and the indexes of groups it alone used freed. */
  private void undo(CapacityLedger.Hold hold, List<String> ids) {
    hold.release();
    store.remove(ids);
    networks.releaseUnused();
  }

  private static boolean known(String ip) {
    return ip != null && !ip.isBlank() && !ip.equals("0.0.0.0");
  }

  private List<InstanceEntity> newRows(Request r, String cluster, int count) {
    long now = clock.getAsLong();
    String reservation = InstanceIds.newReservationId(store::idTaken);
    Set<String> drawn = new HashSet<>();
    List<InstanceEntity> rows = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      String id = InstanceIds.newInstanceId(x -> drawn.contains(x) || store.idTaken(x));
      drawn.add(id);
      InstanceEntity e = new InstanceEntity();
      e.instanceId = id;
      e.reservationId = reservation;
      e.owner = r.owner();
      e.imageId = r.imageId();
      e.manifestLocation = r.manifestLocation();
      e.kernelId = r.kernelId();
      e.ramdiskId = r.ramdiskId();
      e.productCodes = r.productCodes();
      e.instanceType = r.type().name();
      e.keyName = r.keyName();
      e.keyText = r.keyText();
      e.userData = r.userData();
      e.groupNames = String.join(" ", r.groups());
      e.privateAddressing = r.privateAddressing();
      e.cluster = cluster;
      e.launchIndex = k;
      e.launchMillis = now;
      e.privateIp = "0.0.0.0";
      e.publicIp = "0.0.0.0";
      e.state = InstanceState.PENDING.label();
      e.stateMillis = now;
      e.lastSeenMillis = now;
      rows.add(e);
    }
    return rows;
  }
}
