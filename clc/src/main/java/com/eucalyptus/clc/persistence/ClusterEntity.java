package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A registered cluster (its CC's host and port); the availability zone carries its name. */
@Entity
@Table(name = "euca_clusters")
public class ClusterEntity {
  @Id
  @Column(name = "cluster_name", length = 64)
  public String name;
  @Column(name = "host", length = 256)
  public String host;
  @Column(name = "port")
  public int port;
}
