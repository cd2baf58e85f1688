package com.eucalyptus.clc.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One system property (Walrus limits, default kernel, DNS domain, region, mail server, ...). */
@Entity
@Table(name = "euca_properties")
public class PropertyEntity {
  @Id
  @Column(name = "prop_name", length = 128)
  public String name;
  @Column(name = "prop_value", length = 2048)
  public String value;

  public PropertyEntity() {
  }

  public PropertyEntity(String name, String value) {
    this.name = name;
    this.value = value;
  }
}
