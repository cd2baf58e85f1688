package com.eucalyptus.clc.compute.network;

import com.eucalyptus.clc.cluster.CcStatus;
import com.eucalyptus.clc.cluster.ClusterClient;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.compute.groups.IngressRule;
import com.eucalyptus.clc.compute.groups.SecurityGroups;
import com.eucalyptus.clc.compute.instances.Instances;
import com.eucalyptus.clc.images.Images;
import com.eucalyptus.clc.persistence.ClusterEntity;
import com.eucalyptus.clc.persistence.InstanceEntity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The guests' networks of the security groups, as the CLC drives them on the clusters (the tier
 * contract in docs/network.md): a group with instances holds a network index; before a launch its
 * network is started and given the group's rules on the launch's cluster; a change of its rules
 * reaches every cluster where it has instances; when its last instance has ended its index is
 * freed and its network stopped. Groups whose rules name a group as a source get their rules
 * again when that group's network starts or stops.
 */
public final class GroupNetworks {
  private static final Logger LOG = LogManager.getLogger(GroupNetworks.class);
  private final NetworkIndexes indexes;
  private final SecurityGroups groups;
  private final Instances instances;
  private final Clusters clusters;
  private final ClusterClient client;

  public GroupNetworks(NetworkIndexes indexes, SecurityGroups groups, Instances instances, Clusters clusters,
      ClusterClient client) {
    this.indexes = indexes;
    this.groups = groups;
    this.instances = instances;
    this.clusters = clusters;
    this.client = client;
  }

  /**
   * Before RunInstances into {@code groupNames} on {@code cluster} (whose instances must be stored
   * already, so that {@link #releaseUnused} cannot take the indexes away meanwhile): gives each
   * group its index, then StartNetwork and ConfigureNetwork with its whole rule set. Sent before
   * every launch, not only the first of a group: both calls are idempotent, and so a CC that lost
   * its state is set up again.
   *
   * @return the first group's index: RunInstances' vlan
   * @throws CcStatus.Refused with the CC's code when it refused, or InsufficientAddressCapacity
   *     when the cloud has no index left
   * @throws Exception when the CC does not answer
   */
  public synchronized int prepare(String owner, List<String> groupNames, ClusterEntity cluster) throws Exception {
    int first = -1;
    for (String group : groupNames) {
      int index;
      boolean isNew = indexes.find(owner, group).isEmpty();
      try {
        index = indexes.acquire(owner, group);
      } catch (IllegalStateException e) {
        throw new CcStatus.Refused("InsufficientAddressCapacity", e.getMessage());
      }
      if (first < 0) {
        first = index;
      }
      ClusterClient.Answer a = client.startNetwork(cluster.host, cluster.port, owner, group, index);
      if (!a.ok()) {
        throw refused(cluster, group, a.message());
      }
      ClusterClient.Answer c = client.configureNetwork(cluster.host, cluster.port, owner, rulesOf(owner, group));
      if (!c.ok()) {
        throw refused(cluster, group, c.message());
      }
      LOG.debug("network {} of {} (index {}) ready on cluster {}", group, owner, index, cluster.name);
      if (isNew) {
        dependentsChanged(owner, group);
      }
    }
    return first;
  }

  /**
   * The CC's refusal with its code (InsufficientAddressCapacity: an index outside its plan, …); one
   * without a code is the CC's own trouble (its host could not be set up), which the user sees as
   * the cluster having no room, as when it does not answer.
   */
  private static CcStatus.Refused refused(ClusterEntity cluster, String group, String statusMessage) {
    CcStatus st = CcStatus.parse(statusMessage, null);
    if (st.code() != null) {
      return new CcStatus.Refused(st);
    }
    return new CcStatus.Refused("InsufficientInstanceCapacity", "The cluster " + cluster.name + " could not set up the "
        + "network of the group " + group + ": " + st.message());
  }

  /**
   * After Authorize or Revoke: the group's whole rule set to every cluster where it has instances,
   * so that the change holds for running guests at once. A cluster that does not answer gets the
   * rules with the next launch into the group; the change itself is stored either way.
   */
  public void rulesChanged(String owner, String group) {
    Set<String> where = new LinkedHashSet<>();
    for (InstanceEntity e : instancesIn(owner, group)) {
      where.add(e.cluster);
    }
    if (where.isEmpty()) {
      return;
    }
    List<ClusterClient.NetRule> rules = rulesOf(owner, group);
    for (ClusterEntity c : clusters.registered()) {
      if (!where.contains(c.name)) {
        continue;
      }
      try {
        ClusterClient.Answer a = client.configureNetwork(c.host, c.port, owner, rules);
        if (!a.ok()) {
          LOG.warn("cluster {} refused the rules of {}/{}: {}", c.name, owner, group, a.message());
        }
      } catch (Exception ex) {
        LOG.warn("ConfigureNetwork of {}/{} on cluster {} failed: {}", owner, group, c.name, ex.toString());
      }
    }
  }

  /** The owner's instances in the group that have not ended (pending, running or shutting-down). */
  public List<InstanceEntity> instancesIn(String owner, String group) {
    List<InstanceEntity> out = new ArrayList<>();
    for (InstanceEntity e : instances.liveOf(owner)) {
      if (Images.words(e.groupNames).contains(group)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Frees the index of every group that has no instance left and sends StopNetwork for it to every
   * registered cluster (a cluster where it never ran answers true: the call is idempotent). The
   * index is freed even when a cluster does not answer: whoever gets the index next has its network
   * started (and its rules set) afresh before its first launch.
   */
  public synchronized void releaseUnused() {
    for (NetworkIndexes.Entry n : indexes.all()) {
      if (!instancesIn(n.owner(), n.group()).isEmpty()) {
        continue;
      }
      indexes.release(n.owner(), n.group());
      LOG.info("network {} of {} (index {}) has no instance left: freed", n.group(), n.owner(), n.index());
      for (ClusterEntity c : clusters.registered()) {
        try {
          ClusterClient.Answer a = client.stopNetwork(c.host, c.port, n.owner(), n.group(), n.index());
          if (!a.ok()) {
            LOG.warn("cluster {} refused StopNetwork of {}/{}: {}", c.name, n.owner(), n.group(), a.message());
          }
        } catch (Exception ex) {
          LOG.warn("StopNetwork of {}/{} on cluster {} failed: {}", n.owner(), n.group(), c.name, ex.toString());
        }
      }
      dependentsChanged(n.owner(), n.group());
    }
  }

  /**
   * A group's network started or stopped: the groups with instances whose rules name it as a
   * source get their rule set again, so that the CCs open them to its new network, and never to a
   * network whose index has been freed (and may be given to another group).
   */
  private void dependentsChanged(String owner, String group) {
    for (NetworkIndexes.Entry n : indexes.all()) {
      if (n.owner().equals(owner) && n.group().equals(group)) {
        continue;
      }
      boolean names = groups.find(n.owner(), n.group()).map(g -> g.rules().stream()
          .anyMatch(r -> owner.equals(r.sourceOwner()) && group.equals(r.sourceGroup()))).orElse(false);
      if (names) {
        rulesChanged(n.owner(), n.group());
      }
    }
  }

  private List<ClusterClient.NetRule> rulesOf(String owner, String group) {
    List<IngressRule> rules = groups.find(owner, group).map(SecurityGroups.Group::rules).orElse(List.of());
    return FirewallRules.of(group, rules);
  }
}
