package com.eucalyptus.walrus.acl;

/** S3's ACL permissions; FULL_CONTROL implies the other four. */
public enum Permission {
  READ, WRITE, READ_ACP, WRITE_ACP, FULL_CONTROL;

  public boolean implies(Permission wanted) {
    return this == wanted || this == FULL_CONTROL;
  }
}
