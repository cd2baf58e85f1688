package com.eucalyptus.clc.persistence;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.util.ArrayList;
import java.util.List;

/** A user's security group and its ingress rules (enforced by the CC in the MANAGED modes). */
@Entity
@Table(name = "euca_security_groups", uniqueConstraints = @UniqueConstraint(columnNames = {"owner", "group_name"}))
public class SecurityGroupEntity {
  /** "sg-" + 8 hex, for clients of later API versions that address groups by id. */
  @Id
  @Column(name = "group_id", length = 16)
  public String groupId;
  @Column(name = "owner", length = 64, nullable = false)
  public String owner;
  @Column(name = "group_name", length = 255, nullable = false)
  public String name;
  @Column(name = "description", length = 255)
  public String description;
  @OneToMany(cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.EAGER)
  @OrderColumn(name = "rule_index")
  public List<SecurityGroupRuleEntity> rules = new ArrayList<>();
}
