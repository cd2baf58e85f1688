package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One ingress permission: a protocol and port range from either a CIDR block or another group
 * (by owner and name, as EC2's 2008-12-01 API names them).
 */
@Entity
@Table(name = "euca_security_group_rules")
public class SecurityGroupRuleEntity {
  @Id
  @GeneratedValue
  public Long id;
  @Column(name = "protocol", length = 8)
  public String protocol;
  @Column(name = "from_port")
  public int fromPort;
  @Column(name = "to_port")
  public int toPort;
  @Column(name = "cidr", length = 64)
  public String cidr;
  @Column(name = "source_owner", length = 64)
  public String sourceOwner;
  @Column(name = "source_group", length = 255)
  public String sourceGroup;
}
