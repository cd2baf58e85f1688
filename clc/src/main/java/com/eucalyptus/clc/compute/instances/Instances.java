package com.eucalyptus.clc.compute.instances;

import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.InstanceEntity;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hibernate.Session;

/**
 * The instances this CLC knows, in the database (so they survive a restart). Rows come out
 * detached: copies, safe to read outside a transaction; changes go through {@link #update}.
 */
public final class Instances {
  private final Database db;

  public Instances(Database db) {
    this.db = db;
  }

  /** Whether an instance or reservation id is in use (for drawing new ids). */
  public boolean idTaken(String id) {
    return db.tx(s -> s.find(InstanceEntity.class, id) != null
        || !s.createQuery("select i.instanceId from InstanceEntity i where i.reservationId = :r", String.class)
            .setParameter("r", id).setMaxResults(1).getResultList().isEmpty());
  }

  /** Stores the instances of a new reservation in one transaction. */
  public void addAll(Collection<InstanceEntity> rows) {
    db.tx(s -> {
      rows.forEach(s::persist);
      return null;
    });
  }

  public Optional<InstanceEntity> find(String instanceId) {
    return db.tx(s -> Optional.ofNullable(detached(s, s.find(InstanceEntity.class, instanceId))));
  }

  /** Every instance, in launch order. */
  public List<InstanceEntity> all() {
    return db.tx(s -> detachAll(s, s.createQuery("from InstanceEntity order by launchMillis, reservationId, launchIndex",
        InstanceEntity.class).getResultList()));
  }

  /** The instances {@code user} may see: all of them for the admin, else the user's own. */
  public List<InstanceEntity> visibleTo(String user, boolean admin) {
    if (admin) {
      return all();
    }
    return db.tx(s -> detachAll(s, s.createQuery(
        "from InstanceEntity where owner = :o order by launchMillis, reservationId, launchIndex", InstanceEntity.class)
        .setParameter("o", user).getResultList()));
  }

  /** The owner's instances that are not terminated. */
  public List<InstanceEntity> liveOf(String owner) {
    return db.tx(s -> detachAll(s, s.createQuery("from InstanceEntity where owner = :o and state <> :t order by instanceId",
        InstanceEntity.class).setParameter("o", owner).setParameter("t", InstanceState.TERMINATED.label()).getResultList()));
  }

  /** The pending or running instance with this private address, if any. */
  public Optional<InstanceEntity> aliveAt(String privateIp) {
    return db.tx(s -> s.createQuery("from InstanceEntity where privateIp = :ip and state in (:p, :r) order by launchMillis desc",
        InstanceEntity.class).setParameter("ip", privateIp).setParameter("p", InstanceState.PENDING.label())
        .setParameter("r", InstanceState.RUNNING.label()).getResultStream().findFirst().map(e -> detached(s, e)));
  }

  /**
   * Changes one row in a transaction; false when there is no such instance. Changes are
   * serialised in this CLC, so the poller's reconciliation and a user's TerminateInstances never
   * overwrite each other's state.
   */
  public synchronized boolean update(String instanceId, Consumer<InstanceEntity> change) {
    return change(instanceId, e -> {
      change.accept(e);
      return Boolean.TRUE;
    }) != null;
  }

  /** Like {@link #update}, returning what {@code change} returns; null when there is no such instance. */
  public synchronized <T> T change(String instanceId, Function<InstanceEntity, T> change) {
    return db.tx(s -> {
      InstanceEntity e = s.find(InstanceEntity.class, instanceId);
      return e == null ? null : change.apply(e);
    });
  }

  public synchronized void remove(Collection<String> instanceIds) {
    db.tx(s -> {
      for (String id : instanceIds) {
        InstanceEntity e = s.find(InstanceEntity.class, id);
        if (e != null) {
          s.remove(e);
        }
      }
      return null;
    });
  }

  private static InstanceEntity detached(Session s, InstanceEntity e) {
    if (e != null) {
      s.detach(e);
    }
    return e;
  }

  private static List<InstanceEntity> detachAll(Session s, List<InstanceEntity> list) {
    list.forEach(s::detach);
    return list;
  }
}
