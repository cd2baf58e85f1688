package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What a user told about themself when applying for an account (the guide's sign-up form), and
 * whether the administrator approved it. Users made by euca_conf have no row: they count as
 * approved.
 */
@Entity
@Table(name = "euca_user_profiles")
public class UserProfileEntity {
  @Id
  @Column(name = "user_name", length = 64)
  public String name;
  @Column(name = "real_name", length = 256)
  public String realName;
  @Column(name = "telephone", length = 256)
  public String telephone;
  @Column(name = "project_leader", length = 256)
  public String projectLeader;
  @Column(name = "affiliation", length = 256)
  public String affiliation;
  @Column(name = "project_description", length = 2000)
  public String projectDescription;
  @Column(name = "is_approved")
  public boolean approved;
  @Column(name = "applied_millis")
  public long appliedMillis;
}
