package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/**
 * The network index (1.5.2's "vlan") of one security group that has instances: unique cloud-wide,
 * the lowest free from 2 up, kept while the group has an instance left. In the database so that a
 * restarted CLC gives a group the same index the CCs already set its network up with.
 */
@Entity
@Table(name = "euca_network_indexes", uniqueConstraints = @UniqueConstraint(columnNames = {"owner", "group_name"}))
public class NetworkIndexEntity {
  /** the index itself is the key: two groups can never hold the same one, even from two transactions */
  @Id
  @Column(name = "net_index")
  public int netIndex;
  @Column(name = "owner", length = 64, nullable = false)
  public String owner;
  @Column(name = "group_name", length = 255, nullable = false)
  public String groupName;
}
