package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A VM type: cores, memory (MB), disk (GB). */
@Entity
@Table(name = "euca_vm_types")
public class VmTypeEntity {
  @Id
  @Column(name = "type_name", length = 32)
  public String name;
  @Column(name = "cpu")
  public int cpu;
  @Column(name = "memory_mb")
  public int memory;
  @Column(name = "disk_gb")
  public int disk;

  public VmTypeEntity() {
  }

  public VmTypeEntity(String name, int cpu, int memory, int disk) {
    this.name = name;
    this.cpu = cpu;
    this.memory = memory;
    this.disk = disk;
  }
}
