package com.eucalyptus.cc.network.host;

import com.eucalyptus.cc.network.NetworkRefusal;
import com.eucalyptus.cc.network.model.HostNetworkPlan;
import java.nio.file.Path;

/**
 * The front end's kernel networking as the MANAGED modes drive it: the CC's own iptables chains
 * (security groups, elastic-IP NAT, the metadata redirect, masquerading), router addresses on the
 * private interface and public addresses on the public one. The implementation shells out to the
 * real tools (iptables-restore, ip).
 */
public interface HostNetwork {
  /**
   * Adds the rules of the administrator's iptables-preload file (iptables-save format) that are
   * not already present; policy lines are not applied. Called once at CC start, before
   * {@link #apply}. A missing file is nothing to do.
   */
  void preload(Path file) throws NetworkRefusal;

  /**
   * Makes the host match {@code plan}: rebuilds the CC's chains atomically, hooks them from the
   * built-in chains once, adds missing router and public addresses and removes those of the plan's
   * subnet or pool that are no longer wanted. Idempotent: applying the same plan twice changes
   * nothing, and established connections survive.
   */
  void apply(HostNetworkPlan plan) throws NetworkRefusal;
}
