package com.eucalyptus.clc.compute.instances;

import com.eucalyptus.clc.accounts.UserResources;
import com.eucalyptus.clc.persistence.InstanceEntity;
import java.util.List;

/** A user whose instances are not all terminated cannot be deleted (they would run on, owned by no one). */
public final class RunningInstancesCheck implements UserResources {
  private final Instances store;

  public RunningInstancesCheck(Instances store) {
    this.store = store;
  }

  @Override
  public List<String> whatBlocksDeletion(String user) {
    List<InstanceEntity> live = store.liveOf(user);
    return live.stream().map(e -> "has the instance " + e.instanceId + " (" + e.state + ")").toList();
  }
}
