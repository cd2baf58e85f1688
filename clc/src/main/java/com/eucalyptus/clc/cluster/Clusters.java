package com.eucalyptus.clc.cluster;

import com.eucalyptus.clc.persistence.ClusterEntity;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.VmTypeEntity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Registered clusters (in the database) and their last known status (in memory, from the poller). */
public final class Clusters {
  private final Database db;
  private final Map<String, ClusterStatus> status = new ConcurrentHashMap<>();
  /** when the DescribeResources behind each cluster's status was sent (for the capacity ledger) */
  private final Map<String, Instant> countedAt = new ConcurrentHashMap<>();

  public Clusters(Database db) {
    this.db = db;
  }

  /** Registers a cluster or moves it to a new host/port. */
  public void register(String name, String host, int port) {
    db.tx(s -> {
      ClusterEntity c = s.find(ClusterEntity.class, name);
      if (c == null) {
        c = new ClusterEntity();
        c.name = name;
        c.host = host;
        c.port = port;
        s.persist(c);
      } else {
        c.host = host;
        c.port = port;
      }
      return null;
    });
    status.remove(name);
  }

  /** @return false when there is no such cluster */
  public boolean deregister(String name) {
    boolean removed = db.tx(s -> {
      ClusterEntity c = s.find(ClusterEntity.class, name);
      if (c != null) {
        s.remove(c);
      }
      return c != null;
    });
    status.remove(name);
    return removed;
  }

  /** Changes a VM type's cores, memory (MB) and disk (GB); false when there is no such type. */
  public boolean updateVmType(String name, int cpu, int memory, int disk) {
    return db.tx(s -> {
      VmTypeEntity v = s.find(VmTypeEntity.class, name);
      if (v == null) {
        return false;
      }
      v.cpu = cpu;
      v.memory = memory;
      v.disk = disk;
      return true;
    });
  }

  public List<ClusterEntity> registered() {
    return db.tx(s -> s.createQuery("from ClusterEntity order by name", ClusterEntity.class).getResultList());
  }

  public List<VmTypeEntity> vmTypes() {
    return db.tx(s -> s.createQuery("from VmTypeEntity order by memory, cpu, disk, name", VmTypeEntity.class).getResultList());
  }

  public void update(ClusterStatus s) {
    status.put(s.name(), s);
  }

  /** A status from a DescribeResources sent at {@code sent}: its counts include every run finished before then. */
  public void update(ClusterStatus s, Instant sent) {
    status.put(s.name(), s);
    if (s.up()) {
      countedAt.put(s.name(), sent);
    }
  }

  /** When the DescribeResources whose counts the cluster's status holds was sent; EPOCH if none yet. */
  public Instant countedAt(String cluster) {
    return countedAt.getOrDefault(cluster, Instant.EPOCH);
  }

  public ClusterStatus status(ClusterEntity c) {
    ClusterStatus s = status.get(c.name);
    return s != null && s.host().equals(c.host) && s.port() == c.port ? s : ClusterStatus.down(c.name, c.host, c.port, null);
  }
}
