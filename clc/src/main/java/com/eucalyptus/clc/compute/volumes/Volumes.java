package com.eucalyptus.clc.compute.volumes;

import com.eucalyptus.clc.compute.Refused;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.VolumeEntity;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.hibernate.Session;

/**
 * The volumes this CLC knows, in the database. Rows come out detached (copies); every change goes
 * through {@link #change} or {@link #add}, serialised in this CLC, so that two requests never both
 * take the last space or both attach one volume.
 */
public final class Volumes {
  private final Database db;

  public Volumes(Database db) {
    this.db = db;
  }

  /**
   * Records a new volume as creating, committed before anything is made on the storage host, if
   * the space for volumes still has room for it.
   *
   * @throws Refused VolumeLimitExceeded when it has not
   */
  public synchronized VolumeEntity add(String owner, String cluster, int sizeGb, long totalGb, long now) {
    return db.tx(s -> {
      long used = usedGb(s);
      if (used + sizeGb > totalGb) {
        throw new Refused("VolumeLimitExceeded", "Not enough space for a volume of " + sizeGb + " GB: "
            + Math.max(0, totalGb - used) + " GB of the " + totalGb + " GB for volumes are left");
      }
      VolumeEntity v = new VolumeEntity();
      v.volumeId = VolumeIds.newVolumeId(id -> s.find(VolumeEntity.class, id) != null);
      v.owner = owner;
      v.cluster = cluster;
      v.sizeGb = sizeGb;
      v.state = VolumeState.CREATING.label();
      v.createMillis = now;
      v.stateMillis = now;
      s.persist(v);
      s.flush();
      s.detach(v);
      return v;
    });
  }

  /** The space, in GB, the volumes that are creating, available or in use take. */
  public long usedGb() {
    return db.tx(Volumes::usedGb);
  }

  private static long usedGb(Session s) {
    Long sum = s.createQuery("select sum(v.sizeGb) from VolumeEntity v where v.state in (:c, :a, :u)", Long.class)
        .setParameter("c", VolumeState.CREATING.label()).setParameter("a", VolumeState.AVAILABLE.label())
        .setParameter("u", VolumeState.IN_USE.label()).getSingleResult();
    return sum == null ? 0 : sum;
  }

  public Optional<VolumeEntity> find(String volumeId) {
    return db.tx(s -> Optional.ofNullable(detached(s, s.find(VolumeEntity.class, volumeId))));
  }

  /** Every volume but the deleted ones, oldest first. */
  public List<VolumeEntity> all() {
    return db.tx(s -> detachAll(s, s.createQuery("from VolumeEntity where state <> :d order by createMillis, volumeId",
        VolumeEntity.class).setParameter("d", VolumeState.DELETED.label()).getResultList()));
  }

  /** The volumes in use by {@code instanceId}. */
  public List<VolumeEntity> attachedTo(String instanceId) {
    return db.tx(s -> detachAll(s, s.createQuery("from VolumeEntity where instanceId = :i and state = :u order by volumeId",
        VolumeEntity.class).setParameter("i", instanceId).setParameter("u", VolumeState.IN_USE.label()).getResultList()));
  }

  /** Changes one row in a transaction and returns what {@code change} returns; null when there is no such volume. */
  public synchronized <T> T change(String volumeId, Function<VolumeEntity, T> change) {
    return db.tx(s -> {
      VolumeEntity v = s.find(VolumeEntity.class, volumeId);
      return v == null ? null : change.apply(v);
    });
  }

  /**
   * Like {@link #change}, with every volume of the same instance in view: for the checks that
   * span volumes (one device name per instance) made in the same step as the change.
   */
  public synchronized <T> T changeWithSiblings(String volumeId, String instanceId,
      java.util.function.BiFunction<VolumeEntity, List<VolumeEntity>, T> change) {
    return db.tx(s -> {
      VolumeEntity v = s.find(VolumeEntity.class, volumeId);
      if (v == null) {
        return null;
      }
      List<VolumeEntity> siblings = s.createQuery("from VolumeEntity where instanceId = :i and state = :u and volumeId <> :v",
          VolumeEntity.class).setParameter("i", instanceId).setParameter("u", VolumeState.IN_USE.label())
          .setParameter("v", volumeId).getResultList();
      return change.apply(v, siblings);
    });
  }

  private static VolumeEntity detached(Session s, VolumeEntity v) {
    if (v != null) {
      s.detach(v);
    }
    return v;
  }

  private static List<VolumeEntity> detachAll(Session s, List<VolumeEntity> list) {
    list.forEach(s::detach);
    return list;
  }
}
