package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One public address of a cluster's pool (its CC's VNET_PUBLICIPS, learnt by DescribePublicAddresses)
 * and who holds it: nobody (owner null), a user who allocated it, or the system (1.5.2's
 * "eucalyptus": given to an instance at launch, or kept back for launches when dynamic addressing is
 * off); and the instance it is assigned to. In the database so that a restarted CLC keeps every
 * allocation and assignment.
 */
@Entity
@Table(name = "euca_addresses")
public class AddressEntity {
  @Id
  @Column(name = "public_ip", length = 64)
  public String publicIp;
  /** the cluster whose CC has the address: only its instances can have it */
  @Column(name = "cluster", length = 64, nullable = false)
  public String cluster;
  /** the user who allocated it, or {@link #SYSTEM}; null when free */
  @Column(name = "owner", length = 64)
  public String owner;
  /** the instance it is assigned to; null when unassigned */
  @Column(name = "instance_id", length = 16)
  public String instanceId;
  /** that instance's private address (the CC's AssignAddress dest) */
  @Column(name = "private_ip", length = 64)
  public String privateIp;

  /** The holder of addresses given at launch or kept for launches, as 1.5.2 named it. */
  public static final String SYSTEM = "eucalyptus";

  public boolean system() {
    return SYSTEM.equals(owner);
  }
}
