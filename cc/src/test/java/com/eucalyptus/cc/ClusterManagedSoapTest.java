package com.eucalyptus.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.cc.network.RecordingHostNetwork;
import com.eucalyptus.cc.network.RecordingTransport;
import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.soap.SoapServer;
import com.eucalyptus.wsdl.cc.EucalyptusCCStub;
import com.eucalyptus.wsdl.cc.types.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * VNET_MODE=MANAGED over the real signed CC service, in front of two signed stand-in nodes (at
 * 127.0.0.1 and 127.0.0.2, two addresses of this host): StartNetwork sends each node
 * ncStartNetwork with the CC's VNET_LOCALIP and the other node as remoteHosts and the VXLAN port;
 * the CC's own bridge gets both nodes as peers and holds the router; dhcpd's configuration hands
 * out the guests' MTU; a CC started again re-sends every network to each node at its first poll;
 * StopNetwork takes the bridge away and sends ncStopNetwork to both nodes.
 * The transport and the host networking are recording stand-ins (what the CC asks of them is what
 * is checked here); the real ones are ManagedNamespaceTest's.
 */
class ClusterManagedSoapTest {
  static Path home;
  static Path keys;
  static final StandInNc nodeA = new StandInNc(4096, 80, 8, 0, 0);
  static final StandInNc nodeB = new StandInNc(4096, 80, 8, 0, 0);
  static final RecordingHostNetwork host = new RecordingHostNetwork();
  static final RecordingTransport transport = new RecordingTransport("10.9.0.1");
  static final List<SoapServer> nodes = new ArrayList<>();
  static ClusterControllerMain.Running cc;
  static String base;
  static Map<String, String> conf;

  static SoapServer node(StandInNc nc) throws Exception {
    SoapServer s = CcTestSupport.startNode(keys, ClusterControllerSoapTest.freePort(), nc);
    nodes.add(s);
    return s;
  }

  @BeforeAll
  static void start() throws Exception {
    home = Files.createTempDirectory("euca-cc-managed-test");
    EucaPaths paths = CcTestSupport.signedHome(home);
    keys = paths.keysDir();
    int a = node(nodeA).port();
    int b = node(nodeB).port();
    int port = ClusterControllerSoapTest.freePort();
    conf = CcTestSupport.vnetConf(port, "127.0.0.1:" + a + " 127.0.0.2:" + b, "MANAGED");
    conf.put("VNET_TRANSPORT", "vxlan");
    cc = ClusterControllerMain.start(paths, EucalyptusConf.of(conf), host, transport);
    base = "http://127.0.0.1:" + port + "/axis2/services/";
  }

  @AfterAll
  static void stop() {
    if (cc != null) {
      cc.stop();
    }
    nodes.forEach(SoapServer::stop);
  }

  static EucalyptusCCStub client() throws Exception {
    return CcTestSupport.signedCc(keys, base);
  }

  static StopNetwork stopNetwork(String user, String group, int vlan) {
    StopNetworkType t = new StopNetworkType();
    t.setCorrelationId("test");
    t.setUserId(user);
    t.setNetName(group);
    t.setVlan(vlan);
    StopNetwork r = new StopNetwork();
    r.setStopNetwork(t);
    return r;
  }

  @Test
  void aNetworkIsMeshedAcrossTheCcAndTheNodesAndTakenDownEverywhere() throws Exception {
    EucalyptusCCStub cc = client();
    assertTrue(cc.startNetwork(ClusterNetworkSoapTest.startNetwork("alice", "web", 2)).getStartNetworkResponse()
        .get_return());
    // each node: the CC's own underlay address, then the other node; the VXLAN port (sent twice
    // when StartNetwork's own refresh is the new CC's first poll of the node: idempotent)
    assertEquals(List.of("2 10.9.0.1 127.0.0.2 :4789"), nodeA.networkPeers.stream().distinct().toList());
    assertEquals(List.of("2 10.9.0.1 127.0.0.1 :4789"), nodeB.networkPeers.stream().distinct().toList());
    // the CC's own bridge: every node is a peer, and the router is on the bridge
    assertEquals(List.of("ensure 2 127.0.0.1 127.0.0.2"), transport.calls);
    assertEquals("eucabr2", host.last().routerInterface(2));
    assertEquals("eth0", host.last().privateInterface());

    RunInstancesResponseType ran = cc.runInstances(ClusterNetworkSoapTest.run(1, 2, "web")).getRunInstancesResponse();
    assertTrue(ran.get_return(), ran.getStatusMessage());
    assertEquals("10.1.0.66", ran.getInstances()[0].getNetParams().getPrivateIp());
    String dhcp = Files.readString(home.resolve("var/run/eucalyptus/net/euca-dhcp.conf"));
    assertTrue(dhcp.contains("subnet 10.1.0.64 netmask 255.255.255.224 {") && dhcp.contains("option interface-mtu 1450;")
        && !dhcp.contains("shared-network"), dhcp);

    // a StopNetwork naming another group's index leaves that network alone, here and on the nodes
    assertTrue(cc.startNetwork(ClusterNetworkSoapTest.startNetwork("bob", "db", 3)).getStartNetworkResponse()
        .get_return());
    assertTrue(cc.stopNetwork(stopNetwork("alice", "web", 3)).getStopNetworkResponse().get_return());
    assertEquals(List.of(), nodeA.networksStopped);
    assertEquals(List.of("ensure 2 127.0.0.1 127.0.0.2", "ensure 3 127.0.0.1 127.0.0.2"), transport.calls);
    transport.calls.remove(1);

    // a CC started again (same saved state) makes every network again and, at its first poll of
    // each node, sends it ncStartNetwork for every active network without any StartNetwork
    Map<String, String> again = new HashMap<>(conf);
    again.put("CC_PORT", String.valueOf(ClusterControllerSoapTest.freePort()));
    RecordingTransport transport2 = new RecordingTransport("10.9.0.1");
    int sentA = nodeA.networkPeers.size();
    int sentB = nodeB.networkPeers.size();
    ClusterControllerMain.Running restarted = ClusterControllerMain.start(EucaPaths.at(home), EucalyptusConf.of(again),
        new RecordingHostNetwork(), transport2);
    try {
      assertEquals(List.of("ensure 2 127.0.0.1 127.0.0.2", "ensure 3 127.0.0.1 127.0.0.2"), transport2.calls);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while ((nodeA.networkPeers.size() < sentA + 2 || nodeB.networkPeers.size() < sentB + 2)
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(List.of("2 10.9.0.1 127.0.0.2 :4789", "3 10.9.0.1 127.0.0.2 :4789"),
          nodeA.networkPeers.subList(sentA, nodeA.networkPeers.size()));
      assertEquals(List.of("2 10.9.0.1 127.0.0.1 :4789", "3 10.9.0.1 127.0.0.1 :4789"),
          nodeB.networkPeers.subList(sentB, nodeB.networkPeers.size()));
    } finally {
      restarted.stop();
    }

    assertTrue(cc.stopNetwork(stopNetwork("alice", "web", 2)).getStopNetworkResponse().get_return());
    assertEquals(List.of(2), nodeA.networksStopped);
    assertEquals(List.of(2), nodeB.networksStopped);
    assertEquals(List.of("ensure 2 127.0.0.1 127.0.0.2", "remove 2"), transport.calls);
    assertFalse(host.last().routerInterfaces().containsKey(2), "no router left for network 2");
  }
}
