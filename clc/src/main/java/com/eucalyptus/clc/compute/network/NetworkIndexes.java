package com.eucalyptus.clc.compute.network;

import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.NetworkIndexEntity;
import java.util.List;
import java.util.Optional;

/**
 * The network index of each security group that has instances (1.5.2's "vlan", which the CC cuts
 * its address plan by): the lowest free index from {@link #FIRST} up, cloud-wide, in the database.
 * Allocation is serialised in this CLC, and the index is the table's key, so no two groups ever
 * share one.
 */
public final class NetworkIndexes {
  /** 1.5.2's address plan starts at vlan 2 (0 and 1 are not used for guests' networks). */
  public static final int FIRST = 2;
  /** 1.5.2's most vlans; a CC whose plan is smaller refuses with InsufficientAddressCapacity. */
  public static final int LAST = 4095;

  /** One group's index. */
  public record Entry(String owner, String group, int index) {
  }

  private final Database db;

  public NetworkIndexes(Database db) {
    this.db = db;
  }

  /**
   * The group's index, given it now if it has none.
   *
   * @throws IllegalStateException when every index up to {@link #LAST} is taken
   */
  public synchronized int acquire(String owner, String group) {
    return db.tx(s -> {
      NetworkIndexEntity e = find(s, owner, group);
      if (e != null) {
        return e.netIndex;
      }
      List<Integer> taken = s.createQuery("select n.netIndex from NetworkIndexEntity n order by n.netIndex", Integer.class)
          .getResultList();
      int index = FIRST;
      for (int t : taken) {
        if (t == index) {
          index++;
        } else if (t > index) {
          break;
        }
      }
      if (index > LAST) {
        throw new IllegalStateException("every network index from " + FIRST + " to " + LAST + " is in use");
      }
      NetworkIndexEntity n = new NetworkIndexEntity();
      n.netIndex = index;
      n.owner = owner;
      n.groupName = group;
      s.persist(n);
      return index;
    });
  }

  public Optional<Integer> find(String owner, String group) {
    return db.tx(s -> Optional.ofNullable(find(s, owner, group)).map(e -> e.netIndex));
  }

  public List<Entry> all() {
    return db.tx(s -> s.createQuery("from NetworkIndexEntity order by netIndex", NetworkIndexEntity.class).getResultList()
        .stream().map(e -> new Entry(e.owner, e.groupName, e.netIndex)).toList());
  }

  /** Frees the group's index; false when it had none. */
  public synchronized boolean release(String owner, String group) {
    return db.tx(s -> {
      NetworkIndexEntity e = find(s, owner, group);
      if (e != null) {
        s.remove(e);
      }
      return e != null;
    });
  }

  private static NetworkIndexEntity find(org.hibernate.Session s, String owner, String group) {
    return s.createQuery("from NetworkIndexEntity where owner = :o and groupName = :g", NetworkIndexEntity.class)
        .setParameter("o", owner).setParameter("g", group).getResultStream().findFirst().orElse(null);
  }
}
