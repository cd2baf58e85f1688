package com.eucalyptus.clc.compute.volumes;

import com.eucalyptus.clc.accounts.UserResources;
import java.util.List;

/**
 * A user who holds volumes cannot be deleted: the volumes would keep their space with no one to
 * use or delete them; the administrator deletes them first (failed ones too: they are listed).
 */
public final class HeldVolumesCheck implements UserResources {
  private final Volumes volumes;

  public HeldVolumesCheck(Volumes volumes) {
    this.volumes = volumes;
  }

  @Override
  public List<String> whatBlocksDeletion(String user) {
    return volumes.all().stream().filter(v -> user.equals(v.owner)).map(v -> "holds the volume " + v.volumeId).toList();
  }
}
