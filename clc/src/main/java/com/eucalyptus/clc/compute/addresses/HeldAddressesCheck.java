package com.eucalyptus.clc.compute.addresses;

import com.eucalyptus.clc.accounts.UserResources;
import java.util.List;

/**
 * A user who holds public addresses cannot be deleted: the addresses would stay allocated to no one
 * (and count against nobody's limit); the administrator releases them first.
 */
public final class HeldAddressesCheck implements UserResources {
  private final AddressPool pool;

  public HeldAddressesCheck(AddressPool pool) {
    this.pool = pool;
  }

  @Override
  public List<String> whatBlocksDeletion(String user) {
    return pool.all().stream().filter(a -> user.equals(a.owner()))
        .map(a -> "holds the public address " + a.publicIp()).toList();
  }
}
