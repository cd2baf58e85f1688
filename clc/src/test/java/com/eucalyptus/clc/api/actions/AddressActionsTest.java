package com.eucalyptus.clc.api.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.cluster.InMemoryCluster;
import com.eucalyptus.clc.compute.addresses.HeldAddressesCheck;
import com.eucalyptus.clc.compute.instances.StoredInstanceMetadata;
import com.eucalyptus.clc.metadata.InstanceMetadata;
import com.eucalyptus.clc.properties.SystemProperties;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The elastic-IP actions and the launch-time public address, through the real actions over a real
 * HSQLDB; the CC is the in-test {@link InMemoryCluster} (the tier boundary: MANAGED-NOVLAN with a
 * pool of three addresses, or SYSTEM without one; the real CC is the integration tests').
 */
class AddressActionsTest {
  static final String A1 = "203.0.113.1";
  static final String A2 = "203.0.113.2";
  static final String A3 = "203.0.113.3";
  @TempDir
  Path home;
  NetworkedCloud cloud;
  InMemoryCluster cc;

  void managed() {
    cc = InMemoryCluster.managedNoVlan(A3, A1, A2); // the CC's order is not the pool's
    cloud = new NetworkedCloud(home, cc);
    cloud.addresses.refresh(); // as the cluster poller does
  }

  @AfterEach
  void tearDown() {
    if (cloud != null) {
      cloud.close();
    }
  }

  String describe(Accounts.User who, String... params) throws Exception {
    return cloud.call("DescribeAddresses", who, params);
  }

  @Test
  void allocateDescribeReleaseInEc2sShapes() throws Exception {
    managed();
    assertEquals("<publicIp>" + A1 + "</publicIp>", cloud.call("AllocateAddress", cloud.alice));
    assertEquals("<publicIp>" + A2 + "</publicIp><domain>standard</domain>",
        cloud.call("AllocateAddress", cloud.alice, "Version", "2016-11-15"));
    assertEquals("<addressesSet><item><publicIp>" + A1 + "</publicIp><instanceId></instanceId></item>"
        + "<item><publicIp>" + A2 + "</publicIp><instanceId></instanceId></item></addressesSet>", describe(cloud.alice));
    assertEquals("<addressesSet><item><publicIp>" + A2 + "</publicIp><domain>standard</domain></item></addressesSet>", describe(cloud.alice, "PublicIp.1", A2, "Version", "2016-11-15"));
    assertEquals("<addressesSet></addressesSet>", describe(cloud.bob));
    assertEquals("<return>true</return>", cloud.call("ReleaseAddress", cloud.alice, "PublicIp", A1));
    assertEquals("<addressesSet><item><publicIp>" + A2 + "</publicIp><instanceId></instanceId></item></addressesSet>",
        describe(cloud.alice));
    assertEquals("<publicIp>" + A1 + "</publicIp>", cloud.call("AllocateAddress", cloud.bob), "back in the pool");
    assertTrue(cloud.refusal("AllocateAddress", cloud.alice, "Domain", "vpc").startsWith("InvalidParameterValue"));
    assertTrue(cloud.refusal("ReleaseAddress", cloud.alice, "AllocationId", "eipalloc-1")
        .startsWith("InvalidAllocationID.NotFound"));
    assertTrue(cloud.refusal("ReleaseAddress", cloud.alice).startsWith("MissingParameter"));
  }

  @Test
  void anotherUsersAddressIsAuthFailureAnUnknownOneNotFound() throws Exception {
    managed();
    cloud.call("AllocateAddress", cloud.alice);
    String id = cloud.run(cloud.bob, "AddressingType", "private");
    String notYours = "AuthFailure: The address '" + A1 + "' does not belong to you.";
    assertEquals(notYours, cloud.refusal("ReleaseAddress", cloud.bob, "PublicIp", A1));
    assertEquals(notYours, cloud.refusal("AssociateAddress", cloud.bob, "PublicIp", A1, "InstanceId", id));
    assertEquals(notYours, cloud.refusal("DisassociateAddress", cloud.bob, "PublicIp", A1));
    assertEquals("InvalidAddress.NotFound: Address '" + A1 + "' not found.",
        cloud.refusal("DescribeAddresses", cloud.bob, "PublicIp.1", A1));
    assertEquals("InvalidAddress.NotFound: Address '198.51.100.9' not found.",
        cloud.refusal("ReleaseAddress", cloud.alice, "PublicIp", "198.51.100.9"));
    assertEquals("AuthFailure: The address '" + A2 + "' does not belong to you.",
        cloud.refusal("ReleaseAddress", cloud.alice, "PublicIp", A2), "a free address is nobody's to release");
    String bobs = cloud.run(cloud.bob);
    assertTrue(cloud.refusal("AssociateAddress", cloud.alice, "PublicIp", A1, "InstanceId", bobs)
        .startsWith("InvalidInstanceID.NotFound"), "alice may not use bob's instance");
  }

  @Test
  void thePerUserLimitIsTheRunTimePropertyAndTheAdministratorHasNone() throws Exception {
    managed();
    cloud.properties.set(SystemProperties.ADDRESSES_MAX_PER_USER, "1");
    cloud.call("AllocateAddress", cloud.alice);
    String refused = cloud.refusal("AllocateAddress", cloud.alice);
    assertTrue(refused.startsWith("AddressLimitExceeded: "), refused);
    cloud.properties.set(SystemProperties.ADDRESSES_MAX_PER_USER, "2");
    cloud.call("AllocateAddress", cloud.alice);
    cloud.call("AllocateAddress", cloud.admin);
    assertEquals("InsufficientAddressCapacity: No public address is free", cloud.refusal("AllocateAddress", cloud.bob));
    cloud.properties.set(SystemProperties.ADDRESSES_MAX_PER_USER, "0");
    assertTrue(cloud.refusal("AllocateAddress", cloud.bob).startsWith("AddressLimitExceeded"));
  }

  @Test
  void aLaunchGetsAFreeAddressWhichComesBackAtTerminate() throws Exception {
    managed();
    String xml = cloud.call("RunInstances", cloud.alice, "ImageId", "emi-00000004", "Version", "2009-07-15");
    String id = NetworkedCloud.first(xml, "instanceId");
    assertTrue(xml.contains("<privateDnsName>10.0.2.2</privateDnsName><dnsName>" + A1 + "</dnsName>"), xml);
    assertTrue(xml.contains("<privateIpAddress>10.0.2.2</privateIpAddress><ipAddress>" + A1 + "</ipAddress>"), xml);
    List<String> order = cc.log.stream().filter(l -> l.startsWith("RunInstances") || l.startsWith("AssignAddress")).toList();
    assertEquals(List.of(order.get(0), "AssignAddress " + A1 + " 10.0.2.2"), order);
    cloud.running(id);
    String d = cloud.call("DescribeInstances", cloud.alice);
    assertTrue(d.contains("<privateDnsName>10.0.2.2</privateDnsName><dnsName>" + A1 + "</dnsName>"), d);
    InstanceMetadata md = new StoredInstanceMetadata(cloud.instances, "kvm").forPrivateAddress("10.0.2.2").orElseThrow();
    assertEquals(A1, md.publicIpv4());
    assertEquals("<addressesSet></addressesSet>", describe(cloud.alice), "the system's address is not the user's");
    assertTrue(describe(cloud.admin).contains("<item><publicIp>" + A1 + "</publicIp><instanceId>" + id
        + " (eucalyptus)</instanceId></item>"));
    cloud.terminate(cloud.alice, id);
    assertEquals(List.of("UnassignAddress " + A1 + " 10.0.2.2"), cc.logged("UnassignAddress"));
    assertTrue(describe(cloud.admin).contains("<item><publicIp>" + A1 + "</publicIp><instanceId>nobody</instanceId>"));
  }

  @Test
  void addressingTypePrivateGetsNoPublicAddress() throws Exception {
    managed();
    String xml = cloud.call("RunInstances", cloud.alice, "ImageId", "emi-00000004", "AddressingType", "private");
    assertTrue(xml.contains("<privateDnsName>10.0.2.2</privateDnsName><dnsName>10.0.2.2</dnsName>"), xml);
    assertEquals(List.of(), cc.logged("AssignAddress"));
    assertTrue(cloud.refusal("RunInstances", cloud.alice, "ImageId", "emi-00000004", "AddressingType", "direct")
        .startsWith("InvalidParameterValue"));
  }

  @Test
  void associateMovesTheAddressAndTheInstancesOwnGoesBack() throws Exception {
    managed();
    String i1 = cloud.run(cloud.alice); // A1 at launch
    cloud.running(i1);
    String mine = NetworkedCloud.first(cloud.call("AllocateAddress", cloud.alice), "publicIp");
    assertEquals(A2, mine);
    cc.log.clear();
    assertEquals("<return>true</return>", cloud.call("AssociateAddress", cloud.alice, "PublicIp", A2, "InstanceId", i1));
    assertEquals(List.of("UnassignAddress " + A1 + " 10.0.2.2", "AssignAddress " + A2 + " 10.0.2.2"), cc.log);
    assertEquals("<addressesSet><item><publicIp>" + A2 + "</publicIp><instanceId>" + i1 + "</instanceId></item>"
        + "</addressesSet>", describe(cloud.alice));
    assertTrue(cloud.call("DescribeInstances", cloud.alice).contains("<dnsName>" + A2 + "</dnsName>"));
    assertTrue(describe(cloud.admin).contains("<publicIp>" + A1 + "</publicIp><instanceId>nobody</instanceId>"));
    assertEquals("<return>true</return>", cloud.call("AssociateAddress", cloud.alice, "PublicIp", A2, "InstanceId", i1),
        "again: nothing to do");

    String i2 = cloud.run(cloud.alice); // A1 again
    cloud.running(i2);
    cc.log.clear();
    cloud.call("AssociateAddress", cloud.alice, "PublicIp", A2, "InstanceId", i2);
    assertEquals(List.of("UnassignAddress " + A1 + " 10.0.2.3", "UnassignAddress " + A2 + " 10.0.2.2",
        "AssignAddress " + A2 + " 10.0.2.3", "AssignAddress " + A1 + " 10.0.2.2"), cc.log,
        "the address moves; the instance it left gets a system address again");
    assertTrue(describe(cloud.admin).contains("<publicIp>" + A1 + "</publicIp><instanceId>" + i1 + " (eucalyptus)"));

    cc.log.clear();
    assertEquals("<return>true</return>", cloud.call("DisassociateAddress", cloud.alice, "PublicIp", A2));
    assertEquals(List.of("UnassignAddress " + A2 + " 10.0.2.3", "AssignAddress " + A3 + " 10.0.2.3"), cc.log);
    assertEquals("<addressesSet><item><publicIp>" + A2 + "</publicIp><instanceId></instanceId></item></addressesSet>",
        describe(cloud.alice), "still alice's");
    assertEquals("<return>true</return>", cloud.call("DisassociateAddress", cloud.alice, "PublicIp", A2));

    // an instance that ends with a user's address: the address stays the user's
    cloud.call("AssociateAddress", cloud.alice, "PublicIp", A2, "InstanceId", i2);
    cloud.terminate(cloud.alice, i2);
    assertEquals("<addressesSet><item><publicIp>" + A2 + "</publicIp><instanceId></instanceId></item></addressesSet>",
        describe(cloud.alice));
    assertEquals("", cc.publicIps.get(A2));
    assertTrue(cloud.refusal("AssociateAddress", cloud.alice, "PublicIp", A2, "InstanceId", i2)
        .startsWith("IncorrectInstanceState"));
  }

  @Test
  void releasingAnAssociatedAddressDisassociatesItFirst() throws Exception {
    managed();
    cloud.properties.set(SystemProperties.ADDRESSES_DYNAMIC, "true");
    String mine = NetworkedCloud.first(cloud.call("AllocateAddress", cloud.alice), "publicIp");
    String id = cloud.run(cloud.alice); // gets A2
    cloud.running(id);
    cloud.call("AssociateAddress", cloud.alice, "PublicIp", mine, "InstanceId", id);
    cc.log.clear();
    assertEquals("<return>true</return>", cloud.call("ReleaseAddress", cloud.alice, "PublicIp", mine));
    assertEquals(List.of("UnassignAddress " + A1 + " 10.0.2.2", "AssignAddress " + A2 + " 10.0.2.2"), cc.log);
    assertEquals("<addressesSet></addressesSet>", describe(cloud.alice));
    assertTrue(describe(cloud.admin).contains("<publicIp>" + A1 + "</publicIp><instanceId>nobody</instanceId>"));
  }

  @Test
  void theAdministratorSeesThePoolAs152ShowedIt() throws Exception {
    managed();
    cloud.call("AllocateAddress", cloud.alice);
    String id = cloud.run(cloud.bob);
    assertEquals("<addressesSet><item><publicIp>" + A1 + "</publicIp><instanceId>available (alice)</instanceId></item>"
        + "<item><publicIp>" + A2 + "</publicIp><instanceId>" + id + " (eucalyptus)</instanceId></item>"
        + "<item><publicIp>" + A3 + "</publicIp><instanceId>nobody</instanceId></item></addressesSet>",
        describe(cloud.admin));
    cloud.call("AssociateAddress", cloud.admin, "PublicIp", A1, "InstanceId", id);
    assertEquals("<addressesSet><item><publicIp>" + A1 + "</publicIp><instanceId>" + id + " (alice)</instanceId></item>"
        + "</addressesSet>", describe(cloud.admin, "PublicIp.1", A1));
  }

  @Test
  void withDynamicAddressingOffTheReservedAddressesAreKeptForLaunches() throws Exception {
    managed();
    cloud.properties.set(SystemProperties.ADDRESSES_DYNAMIC, "false");
    cloud.properties.set(SystemProperties.ADDRESSES_RESERVED, "2");
    assertEquals("<addressesSet><item><publicIp>" + A1 + "</publicIp><instanceId>available (eucalyptus)</instanceId>"
        + "</item><item><publicIp>" + A2 + "</publicIp><instanceId>available (eucalyptus)</instanceId></item>"
        + "<item><publicIp>" + A3 + "</publicIp><instanceId>nobody</instanceId></item></addressesSet>",
        describe(cloud.admin));
    assertEquals("<publicIp>" + A3 + "</publicIp>", cloud.call("AllocateAddress", cloud.alice));
    assertTrue(cloud.refusal("AllocateAddress", cloud.alice).startsWith("InsufficientAddressCapacity"));
    String id = cloud.run(cloud.bob);
    assertEquals(List.of("AssignAddress " + A1 + " 10.0.2.2"), cc.logged("AssignAddress"));
    cloud.terminate(cloud.bob, id);
    assertTrue(describe(cloud.admin).contains("<publicIp>" + A1 + "</publicIp><instanceId>available (eucalyptus)"),
        "back to the reserve");
    cloud.properties.set(SystemProperties.ADDRESSES_DYNAMIC, "true");
    assertEquals("<publicIp>" + A1 + "</publicIp>", cloud.call("AllocateAddress", cloud.bob), "the reserve is free again");
  }

  @Test
  void aRestartedClcKeepsEveryAssignmentAndTellsTheCcOnlyWhatItLost() throws Exception {
    managed();
    String mine = NetworkedCloud.first(cloud.call("AllocateAddress", cloud.alice), "publicIp");
    String id = cloud.run(cloud.alice);
    cloud.running(id);
    cloud.call("AssociateAddress", cloud.alice, "PublicIp", mine, "InstanceId", id);
    String other = cloud.run(cloud.bob);
    String admin = describe(cloud.admin);
    cloud.restart();
    cc.log.clear();
    cloud.addresses.refresh();
    cloud.poller.pollOnce();
    assertEquals(admin, describe(cloud.admin));
    assertEquals(List.of(), cc.log.stream().filter(l -> !l.startsWith("Describe")).toList(), "nothing re-sent");
    assertTrue(cloud.call("DescribeInstances", cloud.bob).contains("<dnsName>" + A2 + "</dnsName>"));
    // a CC that lost its assignments (restarted without its state) is told again
    cc.publicIps.replaceAll((k, v) -> "");
    cloud.addresses.refresh();
    assertEquals(List.of("AssignAddress " + A1 + " 10.0.2.2", "AssignAddress " + A2 + " 10.0.3.2"),
        cc.logged("AssignAddress"), "bob's default group is network 3");
    assertTrue(other.startsWith("i-"));
  }

  @Test
  void aClusterWithoutAPoolIsAClearErrorAndLaunchesGetNoAddress() throws Exception {
    cc = new InMemoryCluster(); // SYSTEM
    cloud = new NetworkedCloud(home, cc);
    cloud.addresses.refresh();
    String refused = cloud.refusal("AllocateAddress", cloud.alice);
    assertTrue(refused.startsWith("UnsupportedOperation: This cloud has no public addresses") && refused.contains(
        "cluster1: UnsupportedOperation: VNET_MODE SYSTEM has no public addresses"), refused);
    cloud.run(cloud.alice);
    assertEquals(List.of(), cc.logged("AssignAddress"));
    assertEquals("<addressesSet></addressesSet>", describe(cloud.admin));
    assertFalse(cc.logged("StartNetwork").isEmpty(), "SYSTEM is told too: it answers true and does nothing");
  }

  @Test
  void describeInstancesFollowsTheClcsAssignmentsNotAStaleReport() throws Exception {
    managed();
    String id = cloud.run(cloud.alice); // A1
    cloud.running(id);
    cloud.call("AllocateAddress", cloud.alice); // A2
    cloud.call("AssociateAddress", cloud.alice, "PublicIp", A2, "InstanceId", id);
    cc.staleReportedPublic = A1; // the CC's answer was made before the associate
    cloud.now.addAndGet(1000);
    cloud.poller.pollOnce();
    assertTrue(cloud.call("DescribeInstances", cloud.alice).contains("<dnsName>" + A2 + "</dnsName>"));
    cloud.call("DisassociateAddress", cloud.alice, "PublicIp", A2); // A1 again, from the pool
    cc.staleReportedPublic = A2;
    cloud.now.addAndGet(1000);
    cloud.poller.pollOnce();
    assertTrue(cloud.call("DescribeInstances", cloud.alice).contains("<dnsName>" + A1 + "</dnsName>"));
    cloud.call("ReleaseAddress", cloud.alice, "PublicIp", A2);
    cloud.properties.set(SystemProperties.ADDRESSES_DYNAMIC, "false");
    cloud.properties.set(SystemProperties.ADDRESSES_RESERVED, "0");
    cloud.call("AllocateAddress", cloud.bob); // A2
    cloud.call("DisassociateAddress", cloud.admin, "PublicIp", A1); // no reserve: nothing to give it
    cloud.now.addAndGet(1000);
    cloud.poller.pollOnce();
    assertTrue(cloud.call("DescribeInstances", cloud.alice).contains("<dnsName>10.0.2.2</dnsName>"),
        "no address of its own: a pool address in the report is not taken");
  }

  @Test
  void theAdministratorReleasingALaunchsAddressGivesTheInstanceAnotherFromTheReserve() throws Exception {
    managed();
    cloud.properties.set(SystemProperties.ADDRESSES_DYNAMIC, "false");
    cloud.properties.set(SystemProperties.ADDRESSES_RESERVED, "2");
    String id = cloud.run(cloud.bob); // A1, from the reserve
    cc.log.clear();
    assertEquals("<return>true</return>", cloud.call("ReleaseAddress", cloud.admin, "PublicIp", A1));
    assertEquals(List.of("UnassignAddress " + A1 + " 10.0.2.2", "AssignAddress " + A2 + " 10.0.2.2"), cc.log);
    assertEquals("<addressesSet><item><publicIp>" + A1 + "</publicIp><instanceId>available (eucalyptus)</instanceId>"
        + "</item><item><publicIp>" + A2 + "</publicIp><instanceId>" + id + " (eucalyptus)</instanceId></item>"
        + "<item><publicIp>" + A3 + "</publicIp><instanceId>nobody</instanceId></item></addressesSet>",
        describe(cloud.admin), "the reserve is made up again");
  }

  @Test
  void aUserWhoHoldsAddressesCannotBeDeleted() throws Exception {
    managed();
    cloud.call("AllocateAddress", cloud.alice);
    HeldAddressesCheck check = new HeldAddressesCheck(cloud.addresses);
    assertEquals(List.of("holds the public address " + A1), check.whatBlocksDeletion("alice"));
    cloud.call("ReleaseAddress", cloud.admin, "PublicIp", A1);
    assertEquals(List.of(), check.whatBlocksDeletion("alice"));
  }
}
