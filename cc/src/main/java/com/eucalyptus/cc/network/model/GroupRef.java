package com.eucalyptus.cc.network.model;

/** A security group by owner and name; its network's name on the CC is {@code <user>-<group>}. */
public record GroupRef(String user, String group) {
  public String netName() {
    return user + "-" + group;
  }
}
