package com.eucalyptus.clc.compute.addresses;

import com.eucalyptus.clc.properties.SystemProperties;

/**
 * 1.5.2's three address settings, read from the system properties at each use (so a change with
 * euca_conf --set-property or the console holds at once).
 *
 * @param maxPerUser the most addresses a user (not the administrator) may hold
 * @param reservedForLaunches with dynamic addressing off: how many addresses the system keeps
 *     for launches (users cannot allocate them); unused with dynamic addressing on
 * @param dynamic on: a launch takes any free address; off: only those kept for launches
 */
public record AddressSettings(int maxPerUser, int reservedForLaunches, boolean dynamic) {
  public static final int DEFAULT_MAX_PER_USER = 5;
  public static final int DEFAULT_RESERVED = 10;

  public static AddressSettings of(SystemProperties p) {
    String dynamic = p.get(SystemProperties.ADDRESSES_DYNAMIC).trim();
    return new AddressSettings(
        (int) Math.max(0, p.number(SystemProperties.ADDRESSES_MAX_PER_USER, DEFAULT_MAX_PER_USER)),
        (int) Math.max(0, p.number(SystemProperties.ADDRESSES_RESERVED, DEFAULT_RESERVED)),
        !(dynamic.equalsIgnoreCase("false") || dynamic.equalsIgnoreCase("no") || dynamic.equals("0")
            || dynamic.equalsIgnoreCase("off")));
  }
}
