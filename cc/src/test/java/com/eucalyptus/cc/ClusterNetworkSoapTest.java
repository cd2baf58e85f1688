package com.eucalyptus.cc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.cc.network.RecordingHostNetwork;
import com.eucalyptus.cc.network.model.GroupRef;
import com.eucalyptus.cc.network.model.IngressRule;
import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.runtime.soap.SoapServer;
import com.eucalyptus.wsdl.cc.EucalyptusCCStub;
import com.eucalyptus.wsdl.cc.types.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The network operations over the real signed CC service, as the CLC sends them, for a
 * MANAGED-NOVLAN CC (its host networking a {@link RecordingHostNetwork}: iptables and ip are
 * LinuxHostNetwork's, tested on their own; dhcpd is /bin/true) and a SYSTEM CC, each in front of a
 * signed stand-in node: the answers' return and statusMessage codes of the tier contract, the
 * addresses in RunInstances' and DescribeInstances' netParams, ncStartNetwork reaching the node.
 */
class ClusterNetworkSoapTest {
  static Path home;
  static Path keys;
  static final StandInNc nc = new StandInNc(4096, 80, 8, 0, 0);
  static final RecordingHostNetwork host = new RecordingHostNetwork();
  static SoapServer node;
  static ClusterControllerMain.Running managed;
  static ClusterControllerMain.Running system;
  static String managedBase;
  static String systemBase;

  @BeforeAll
  static void start() throws Exception {
    home = Files.createTempDirectory("euca-cc-net-test");
    EucaPaths paths = CcTestSupport.signedHome(home);
    keys = paths.keysDir();
    int nodePort = ClusterControllerSoapTest.freePort();
    node = CcTestSupport.startNode(keys, nodePort, nc);
    int port = ClusterControllerSoapTest.freePort();
    Map<String, String> conf = CcTestSupport.vnetConf(port, "127.0.0.1:" + nodePort, "MANAGED-NOVLAN");
    managed = ClusterControllerMain.start(paths, EucalyptusConf.of(conf), host);
    managedBase = "http://127.0.0.1:" + port + "/axis2/services/";
    int systemPort = ClusterControllerSoapTest.freePort();
    system = ClusterControllerMain.start(EucaPaths.at(Files.createDirectories(home.resolve("system"))),
        EucalyptusConf.of(Map.of("CC_PORT", String.valueOf(systemPort), "NODES", "127.0.0.1:" + nodePort,
            "ENABLE_WS_SECURITY", "N")), null);
    systemBase = "http://127.0.0.1:" + systemPort + "/axis2/services/";
  }

  @AfterAll
  static void stop() {
    if (managed != null) {
      managed.stop();
    }
    if (system != null) {
      system.stop();
    }
    if (node != null) {
      node.stop();
    }
  }

  static EucalyptusCCStub cc() throws Exception {
    return CcTestSupport.signedCc(keys, managedBase);
  }

  static StartNetwork startNetwork(String user, String group, int vlan) {
    StartNetworkType t = new StartNetworkType();
    t.setCorrelationId("test");
    t.setUserId(user);
    t.setNetName(group);
    t.setVlan(vlan);
    StartNetwork r = new StartNetwork();
    r.setStartNetwork(t);
    return r;
  }

  static RunInstances run(int count, int vlan, String... groups) {
    RunInstances r = ClusterControllerSoapTest.run(count, count);
    r.getRunInstances().setNetNames(groups);
    r.getRunInstances().setVlan(vlan);
    return r;
  }

  static AssignAddress assign(String pub, String priv) {
    AssignAddressType t = new AssignAddressType();
    t.setCorrelationId("test");
    t.setUserId("admin");
    t.setSource(pub);
    t.setDest(priv);
    AssignAddress r = new AssignAddress();
    r.setAssignAddress(t);
    return r;
  }

  static DescribePublicAddressesResponseType publicAddresses(EucalyptusCCStub cc) throws Exception {
    DescribePublicAddressesType t = new DescribePublicAddressesType();
    t.setCorrelationId("test");
    DescribePublicAddresses r = new DescribePublicAddresses();
    r.setDescribePublicAddresses(t);
    return cc.describePublicAddresses(r).getDescribePublicAddressesResponse();
  }

  @Test
  void aGroupsNetworkItsInstancesAddressesAndAnElasticIp() throws Exception {
    EucalyptusCCStub cc = cc();
    assertTrue(cc.startNetwork(startNetwork("alice", "web", 2)).getStartNetworkResponse().get_return());
    assertTrue(nc.networksStarted.contains(2), "ncStartNetwork reached the node: " + nc.networksStarted);
    // the CLC's address was taken from the request: loopback here, so a router address of the CC's
    List<String> routers = host.last().networks().stream().map(n -> n.router() + ":8773").toList();
    assertTrue(routers.contains("10.1.0.65:8773"), routers.toString());
    assertTrue(routers.contains(host.last().metadataTarget()), host.last().metadataTarget() + " " + routers);

    ConfigureNetworkType conf = new ConfigureNetworkType();
    conf.setCorrelationId("test");
    conf.setUserId("alice");
    NetworkRule close = new NetworkRule();
    close.setType("firewall-close");
    close.setDestName("web");
    NetworkRule ssh = new NetworkRule();
    ssh.setType("firewall-open");
    ssh.setDestName("web");
    ssh.setProtocol("tcp");
    ssh.setPortRangeMin(22);
    ssh.setPortRangeMax(22);
    ssh.addSourceNets("0.0.0.0/0");
    conf.setRules(new NetworkRule[] {close, ssh});
    ConfigureNetwork cn = new ConfigureNetwork();
    cn.setConfigureNetwork(conf);
    assertTrue(cc.configureNetwork(cn).getConfigureNetworkResponse().get_return());
    assertEquals(List.of(new IngressRule("tcp", 22, 22, List.of("0.0.0.0/0"), List.of())),
        host.last().rules().get(new GroupRef("alice", "web")));

    RunInstancesResponseType ran = cc.runInstances(run(2, 2, "web")).getRunInstancesResponse();
    assertTrue(ran.get_return(), ran.getStatusMessage());
    NetConfigType first = ran.getInstances()[0].getNetParams();
    assertEquals("10.1.0.66", first.getPrivateIp());
    assertEquals("10.1.0.66", first.getPublicIp());
    assertEquals("10.1.0.67", ran.getInstances()[1].getNetParams().getPrivateIp());
    String id = ran.getInstances()[0].getInstanceId();
    // the node was sent the CLC's MAC
    assertEquals(first.getPrivateMacAddress(), nc.instances.get(id).getNetParams().getPrivateMacAddress());

    assertTrue(cc.assignAddress(assign("192.0.2.11", "10.1.0.66")).getAssignAddressResponse().get_return());
    CcInstanceType seen = ClusterControllerSoapTest.describeInstances(cc, id)[0];
    assertEquals("10.1.0.66", seen.getNetParams().getPrivateIp());
    assertEquals("192.0.2.11", seen.getNetParams().getPublicIp());
    DescribePublicAddressesResponseType pubs = publicAddresses(cc);
    assertTrue(pubs.get_return());
    assertArrayEquals(new String[] {"192.0.2.10", "192.0.2.11"}, pubs.getSourceAddresses());
    assertArrayEquals(new String[] {"", "10.1.0.66"}, pubs.getDestAddresses());

    AssignAddressResponseType unknown = cc.assignAddress(assign("198.51.100.7", "10.1.0.66")).getAssignAddressResponse();
    assertFalse(unknown.get_return());
    assertTrue(unknown.getStatusMessage().startsWith("InvalidAddress.NotFound: "), unknown.getStatusMessage());

    // terminated: its address and its public address are free again
    TerminateInstancesType term = new TerminateInstancesType();
    term.setCorrelationId("test");
    term.addInstanceIds(id);
    TerminateInstances t = new TerminateInstances();
    t.setTerminateInstances(term);
    assertTrue(cc.terminateInstances(t).getTerminateInstancesResponse().getIsTerminated()[0]);
    assertArrayEquals(new String[] {"", ""}, publicAddresses(cc).getDestAddresses());
    assertEquals("10.1.0.66", cc.runInstances(run(1, 2, "web")).getRunInstancesResponse().getInstances()[0]
        .getNetParams().getPrivateIp());
  }

  @Test
  void refusalsCarryTheEc2Code() throws Exception {
    EucalyptusCCStub cc = cc();
    RunInstancesResponseType two = cc.runInstances(run(1, 3, "web", "db")).getRunInstancesResponse();
    assertFalse(two.get_return());
    assertTrue(two.getStatusMessage().startsWith("InvalidParameterCombination: "), two.getStatusMessage());
    StartNetworkResponseType outside = cc.startNetwork(startNetwork("bob", "db", 8)).getStartNetworkResponse();
    assertFalse(outside.get_return());
    assertTrue(outside.getStatusMessage().startsWith("InsufficientAddressCapacity: "), outside.getStatusMessage());
    int onNode = nc.instances.size();
    RunInstancesResponseType full = cc.runInstances(run(30, 4, "big")).getRunInstancesResponse();
    assertFalse(full.get_return());
    assertTrue(full.getStatusMessage().startsWith("InsufficientAddressCapacity: "), full.getStatusMessage());
    assertEquals(onNode, nc.instances.size(), "nothing went to the node");
  }

  @Test
  void systemModeHasNoPublicAddressesAndIgnoresNetworks() throws Exception {
    EucalyptusCCStub cc = new EucalyptusCCStub(SoapClients.clientContext(), systemBase + "EucalyptusCC");
    int before = nc.networksStarted.size();
    assertTrue(cc.startNetwork(startNetwork("alice", "web", 2)).getStartNetworkResponse().get_return());
    assertEquals(before, nc.networksStarted.size(), "no ncStartNetwork in SYSTEM");
    DescribePublicAddressesResponseType pubs = publicAddresses(cc);
    assertFalse(pubs.get_return());
    assertTrue(pubs.getStatusMessage().startsWith("UnsupportedOperation: "), pubs.getStatusMessage());
    AssignAddressResponseType a = cc.assignAddress(assign("192.0.2.10", "10.1.0.66")).getAssignAddressResponse();
    assertFalse(a.get_return());
    assertTrue(a.getStatusMessage().startsWith("UnsupportedOperation: "), a.getStatusMessage());
  }
}
