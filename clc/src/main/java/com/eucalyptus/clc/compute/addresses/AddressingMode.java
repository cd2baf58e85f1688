package com.eucalyptus.clc.compute.addresses;

import com.eucalyptus.clc.persistence.AddressEntity;
import com.eucalyptus.clc.persistence.Database;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** 1.5.2's dynamic and static public addressing, applied to the pool in the database. */
final class AddressingMode {
  private AddressingMode() {
  }

  /**
   * 1.5.2's updateAddressingMode: with dynamic addressing the system holds only the addresses it has
   * given to instances; without, it keeps {@code reservedForLaunches} (taking free ones, or giving
   * unassigned ones back), which users cannot allocate.
   */
  static void apply(Database db, AddressSettings s) {
    db.tx(x -> {
      List<AddressEntity> rows = x.createQuery("from AddressEntity", AddressEntity.class).getResultList().stream()
          .sorted(Comparator.comparingLong(e -> AddressPool.order(e.publicIp))).toList();
      if (s.dynamic()) {
        for (AddressEntity e : rows) {
          if (e.system() && e.instanceId == null) {
            e.owner = null;
          }
        }
        return null;
      }
      long held = rows.stream().filter(AddressEntity::system).count();
      for (AddressEntity e : rows) {
        if (held < s.reservedForLaunches() && e.owner == null) {
          e.owner = AddressEntity.SYSTEM;
          held++;
        }
      }
      List<AddressEntity> highestFirst = new ArrayList<>(rows);
      Collections.reverse(highestFirst);
      for (AddressEntity e : highestFirst) {
        if (held > s.reservedForLaunches() && e.system() && e.instanceId == null) {
          e.owner = null;
          held--;
        }
      }
      return null;
    });
  }

}
