package com.eucalyptus.clc.api.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.cluster.ClusterClient.NetRule;
import com.eucalyptus.clc.cluster.InMemoryCluster;
import com.eucalyptus.clc.compute.instances.InstanceIds;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLC tells the CC about the security groups' networks (docs/network.md), through the
 * real actions over a real HSQLDB; the CC is the in-test {@link InMemoryCluster} in MANAGED-NOVLAN
 * (the tier boundary; the real CC is the integration tests').
 */
class GroupNetworksTest {
  @TempDir
  Path home;
  NetworkedCloud cloud;
  InMemoryCluster cc;

  @BeforeEach
  void setUp() {
    cc = InMemoryCluster.managedNoVlan("203.0.113.1");
    cloud = new NetworkedCloud(home, cc);
  }

  @AfterEach
  void tearDown() {
    cloud.close();
  }

  @Test
  void startNetworkAndTheRulesGoBeforeRunInstancesWhichCarriesTheIndexAndTheMacs() throws Exception {
    String id = cloud.run(cloud.alice);
    assertEquals(List.of("StartNetwork alice default 2", "ConfigureNetwork alice default 1",
        "RunInstances alice [default] vlan 2 [" + InstanceIds.mac(id) + "]"), cc.log.subList(0, 3));
    assertTrue(InstanceIds.mac(id).matches("d0:0d:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}"));
    assertEquals("d0:0d:" + id.substring(2, 4).toLowerCase() + ":" + id.substring(4, 6).toLowerCase() + ":"
        + id.substring(6, 8).toLowerCase() + ":" + id.substring(8, 10).toLowerCase(), InstanceIds.mac(id));
    cloud.run(cloud.bob);
    cloud.call("CreateSecurityGroup", cloud.alice, "GroupName", "web", "GroupDescription", "w");
    cloud.run(cloud.alice, "SecurityGroup.1", "web");
    cloud.run(cloud.alice); // default again: same index, started again (idempotent)
    assertEquals(List.of("StartNetwork alice default 2", "StartNetwork bob default 3", "StartNetwork alice web 4",
        "StartNetwork alice default 2"), cc.logged("StartNetwork"));
    assertEquals(List.of(2, 3, 4, 2), cc.launches.stream().map(l -> l.vlan()).toList());
  }

  @Test
  void configureNetworkCarriesTheWholeRuleSetCidrsGroupsAndIcmp() throws Exception {
    cloud.call("AuthorizeSecurityGroupIngress", cloud.alice, "GroupName", "default", "IpProtocol", "tcp", "FromPort",
        "22", "ToPort", "22", "CidrIp", "0.0.0.0/0");
    cloud.call("AuthorizeSecurityGroupIngress", cloud.alice, "GroupName", "default", "IpPermissions.1.IpProtocol",
        "icmp", "IpPermissions.1.FromPort", "8", "IpPermissions.1.ToPort", "-1", "IpPermissions.1.IpRanges.1.CidrIp",
        "10.1.0.0/16");
    cloud.call("DescribeSecurityGroups", cloud.bob); // bob's default group exists
    cloud.call("AuthorizeSecurityGroupIngress", cloud.alice, "GroupName", "default", "SourceSecurityGroupName",
        "default", "SourceSecurityGroupOwnerId", "bob");
    assertTrue(cc.log.isEmpty(), "no instance in the group: nothing to configure yet: " + cc.log);
    cloud.run(cloud.alice);
    List<NetRule> rules = cc.configured.get(0);
    assertEquals(List.of(
        new NetRule("firewall-close", "default", null, 0, 0, List.of(), List.of(), List.of()),
        new NetRule("firewall-open", "default", "tcp", 22, 22, List.of("0.0.0.0/0"), List.of(), List.of()),
        new NetRule("firewall-open", "default", "icmp", 8, -1, List.of("10.1.0.0/16"), List.of(), List.of()),
        new NetRule("firewall-open", "default", "tcp", 0, 65535, List.of(), List.of("bob"), List.of("default")),
        new NetRule("firewall-open", "default", "udp", 0, 65535, List.of(), List.of("bob"), List.of("default")),
        new NetRule("firewall-open", "default", "icmp", -1, -1, List.of(), List.of("bob"), List.of("default"))), rules);
  }

  @Test
  void authorizeAndRevokeReachTheClusterAtOnceOnlyWhereTheGroupHasInstances() throws Exception {
    cloud.call("CreateSecurityGroup", cloud.alice, "GroupName", "web", "GroupDescription", "w");
    String id = cloud.run(cloud.alice);
    cloud.running(id);
    cc.log.clear();
    cc.configured.clear();
    cloud.call("AuthorizeSecurityGroupIngress", cloud.alice, "GroupName", "web", "IpProtocol", "tcp", "FromPort", "80",
        "ToPort", "80", "CidrIp", "0.0.0.0/0");
    assertEquals(List.of(), cc.logged("ConfigureNetwork"), "web has no instance");
    cloud.call("AuthorizeSecurityGroupIngress", cloud.alice, "GroupName", "default", "IpProtocol", "tcp", "FromPort",
        "22", "ToPort", "22", "CidrIp", "192.0.2.0/24");
    assertEquals(List.of("ConfigureNetwork alice default 2"), cc.logged("ConfigureNetwork"));
    assertEquals(new NetRule("firewall-open", "default", "tcp", 22, 22, List.of("192.0.2.0/24"), List.of(), List.of()),
        cc.configured.get(0).get(1));
    cloud.call("RevokeSecurityGroupIngress", cloud.alice, "GroupName", "default", "IpProtocol", "tcp", "FromPort",
        "22", "ToPort", "22", "CidrIp", "192.0.2.0/24");
    assertEquals(List.of(new NetRule("firewall-close", "default", null, 0, 0, List.of(), List.of(), List.of())),
        cc.configured.get(1), "the revoke leaves the group closed");
    cloud.call("AuthorizeSecurityGroupIngress", cloud.bob, "GroupName", "default", "IpProtocol", "tcp", "FromPort",
        "22", "ToPort", "22", "CidrIp", "0.0.0.0/0");
    assertEquals(2, cc.logged("ConfigureNetwork").size(), "bob's default group has no instance");
  }

  @Test
  void aGroupInUseCannotBeDeletedAndItsIndexIsFreedAndStoppedWhenItsLastInstanceEnds() throws Exception {
    cloud.call("CreateSecurityGroup", cloud.alice, "GroupName", "web", "GroupDescription", "w");
    String id = cloud.run(cloud.alice, "SecurityGroup.1", "web");
    cloud.running(id);
    String refused = cloud.refusal("DeleteSecurityGroup", cloud.alice, "GroupName", "web");
    assertEquals("InvalidGroup.InUse: There are active instances using security group 'web': " + id, refused);
    assertEquals(Optional.of(2), cloud.indexes.find("alice", "web"));
    cloud.terminate(cloud.alice, id);
    assertEquals(List.of("StopNetwork alice web 2"), cc.logged("StopNetwork"));
    assertEquals(Optional.empty(), cloud.indexes.find("alice", "web"));
    assertEquals("<return>true</return>", cloud.call("DeleteSecurityGroup", cloud.alice, "GroupName", "web"));
    cloud.run(cloud.bob);
    assertEquals(List.of("StartNetwork bob default 2"), cc.logged("StartNetwork bob"), "index 2 is reused");
  }

  @Test
  void twoGroupsInManagedNoVlanAreTheCcsInvalidParameterCombinationAndLeaveNothing() throws Exception {
    cloud.call("CreateSecurityGroup", cloud.alice, "GroupName", "web", "GroupDescription", "w");
    String refused = cloud.refusal("RunInstances", cloud.alice, "ImageId", "emi-00000004", "SecurityGroup.1", "default",
        "SecurityGroup.2", "web");
    assertTrue(refused.startsWith("InvalidParameterCombination: ") && refused.contains("exactly one security group"),
        refused);
    assertEquals("<reservationSet></reservationSet>", cloud.call("DescribeInstances", cloud.alice));
    assertEquals(List.of(), cloud.indexes.all(), "the indexes taken for the refused launch are free again");
    assertEquals(2, cc.logged("StopNetwork").size());
  }

  @Test
  void anIndexOutsideTheCcsPlanIsInsufficientAddressCapacity() throws Exception {
    cc.maxVlan = 2;
    cloud.run(cloud.alice);
    String refused = cloud.refusal("RunInstances", cloud.bob, "ImageId", "emi-00000004");
    assertEquals("InsufficientAddressCapacity: network index 3 is outside the address plan", refused);
    assertEquals(List.of(), cc.logged("RunInstances bob"));
    assertEquals(1, cloud.indexes.all().size());
    cc.startNetworkRefusal = "iptables-restore: line 7 failed";
    assertEquals("InsufficientInstanceCapacity: The cluster cluster1 could not set up the network of the group default: "
        + "iptables-restore: line 7 failed", cloud.refusal("RunInstances", cloud.alice, "ImageId", "emi-00000004"),
        "a refusal without a code is the cluster's trouble");
  }

  @Test
  void aRestartedClcKeepsTheIndexes() throws Exception {
    String id = cloud.run(cloud.alice);
    cloud.running(id);
    cloud.restart();
    cloud.run(cloud.bob);
    cloud.run(cloud.alice);
    assertEquals(List.of("StartNetwork alice default 2", "StartNetwork bob default 3", "StartNetwork alice default 2"),
        cc.logged("StartNetwork"));
    assertEquals(List.of(), cc.logged("StopNetwork"), "nothing stopped by the restart");
  }

  @Test
  void groupsThatNameAGroupAsSourceGetTheirRulesAgainWhenItsNetworkStartsAndStops() throws Exception {
    cloud.call("DescribeSecurityGroups", cloud.bob);
    cloud.call("AuthorizeSecurityGroupIngress", cloud.alice, "GroupName", "default", "IpPermissions.1.IpProtocol", "tcp",
        "IpPermissions.1.FromPort", "22", "IpPermissions.1.ToPort", "22", "IpPermissions.1.Groups.1.UserId", "bob",
        "IpPermissions.1.Groups.1.GroupName", "default");
    String a = cloud.run(cloud.alice);
    cloud.running(a);
    cc.log.clear();
    String b = cloud.run(cloud.bob);
    assertEquals(List.of("StartNetwork bob default 3", "ConfigureNetwork bob default 1", "ConfigureNetwork alice default 2",
        "RunInstances bob [default] vlan 3 [" + InstanceIds.mac(b) + "]"), cc.log.subList(0, 4));
    cloud.running(b);
    cc.log.clear();
    cloud.terminate(cloud.bob, b);
    assertEquals(List.of("StopNetwork bob default 3", "ConfigureNetwork alice default 2"),
        cc.log.stream().filter(l -> l.contains("Network")).toList());
    cc.log.clear();
    cloud.run(cloud.bob); // bob's network starts again: alice's rules follow it
    assertEquals(List.of("ConfigureNetwork alice default 2"), cc.logged("ConfigureNetwork alice"));
  }
}
