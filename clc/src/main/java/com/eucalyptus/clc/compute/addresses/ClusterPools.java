package com.eucalyptus.clc.compute.addresses;

import com.eucalyptus.clc.cluster.ClusterClient;
import com.eucalyptus.clc.persistence.AddressEntity;
import com.eucalyptus.clc.persistence.ClusterEntity;
import com.eucalyptus.clc.persistence.Database;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The address pool's side facing the clusters: asks a CC for its addresses (DescribePublicAddresses),
 * merges its answer into the database, and tells a CC again what it lost (AssignAddress /
 * UnassignAddress where its assignments differ from the database, which wins). Called by
 * {@link AddressPool} under its lock.
 */
final class ClusterPools {
  private static final Logger LOG = LogManager.getLogger(ClusterPools.class);
  private final Database db;
  private final ClusterClient client;
  /** clusters whose CC said it has no pool (SYSTEM, STATIC), with its words */
  private final Map<String, String> withoutPool = new ConcurrentHashMap<>();

  ClusterPools(Database db, ClusterClient client) {
    this.db = db;
    this.client = client;
  }

  /** The CC's addresses; null when it does not answer. */
  ClusterClient.PublicAddresses ask(ClusterEntity c) {
    try {
      return client.describePublicAddresses(c.host, c.port);
    } catch (Exception e) {
      LOG.debug("DescribePublicAddresses of cluster {} failed: {}", c.name, e.toString());
      return null;
    }
  }

  /** The clusters whose CC has no pool, with its words. */
  Map<String, String> withoutPool() {
    return withoutPool;
  }

  /**
   * Merges a CC's answer: new addresses join as free, free ones it no longer lists leave.
   *
   * @param compare whether to compare its assignments with the database (false when this CLC
   *     changed an assignment while the CC's answer was under way)
   */
  void take(ClusterEntity c, ClusterClient.PublicAddresses answer, boolean compare) {
    if (!answer.ok()) {
      if (withoutPool.put(c.name, answer.message() == null ? "" : answer.message()) == null) {
        LOG.info("cluster {} has no public addresses: {}", c.name, answer.message());
      }
      db.tx(s -> s.createMutationQuery("delete from AddressEntity where cluster = :c and owner is null")
          .setParameter("c", c.name).executeUpdate());
      return;
    }
    withoutPool.remove(c.name);
    List<Runnable> tell = new ArrayList<>();
    db.tx(s -> {
      Map<String, AddressEntity> known = new HashMap<>();
      s.createQuery("from AddressEntity where cluster = :c", AddressEntity.class).setParameter("c", c.name)
          .getResultList().forEach(e -> known.put(e.publicIp, e));
      for (Map.Entry<String, String> a : answer.assignedTo().entrySet()) {
        String ip = a.getKey();
        String dest = a.getValue() == null ? "" : a.getValue();
        AddressEntity e = known.remove(ip);
        if (e == null) {
          e = s.find(AddressEntity.class, ip);
          if (e == null) {
            e = new AddressEntity();
            e.publicIp = ip;
            e.cluster = c.name;
            s.persist(e);
            LOG.info("public address {} of cluster {} joins the pool", ip, c.name);
          } else if (e.owner == null) {
            e.cluster = c.name; // moved to this cluster's VNET_PUBLICIPS
          }
          continue;
        }
        if (!compare) {
          continue;
        }
        final AddressEntity row = e;
        if (row.instanceId != null && dest.isEmpty()) {
          LOG.warn("cluster {} has {} unassigned, but it is {}'s: assigning it again", c.name, ip, row.instanceId);
          String priv = row.privateIp;
          tell.add(() -> send(c, "AssignAddress", ip, priv, true));
        } else if (row.instanceId == null && !dest.isEmpty()) {
          LOG.warn("cluster {} has {} assigned to {}, but it is unassigned: unassigning it", c.name, ip, dest);
          tell.add(() -> send(c, "UnassignAddress", ip, dest, false));
        }
      }
      for (AddressEntity gone : known.values()) {
        if (gone.owner == null || (gone.system() && gone.instanceId == null)) {
          s.remove(gone);
          LOG.info("public address {} is no longer in cluster {}'s pool", gone.publicIp, c.name);
        }
      }
      return null;
    });
    tell.forEach(Runnable::run);
  }

  void send(ClusterEntity c, String what, String publicIp, String privateIp, boolean assign) {
    try {
      ClusterClient.Answer a = assign ? client.assignAddress(c.host, c.port, publicIp, privateIp)
          : client.unassignAddress(c.host, c.port, publicIp, privateIp);
      if (!a.ok()) {
        LOG.warn("cluster {} refused {} {} → {}: {}", c.name, what, publicIp, privateIp, a.message());
      }
    } catch (Exception e) {
      LOG.warn("{} {} on cluster {} failed: {}", what, publicIp, c.name, e.toString());
    }
  }

}
