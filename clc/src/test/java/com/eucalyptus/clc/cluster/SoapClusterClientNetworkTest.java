package com.eucalyptus.clc.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.wsdl.cc.EucalyptusCCSkeleton;
import com.eucalyptus.wsdl.cc.types.AssignAddress;
import com.eucalyptus.wsdl.cc.types.AssignAddressResponse;
import com.eucalyptus.wsdl.cc.types.AssignAddressResponseType;
import com.eucalyptus.wsdl.cc.types.AssignAddressType;
import com.eucalyptus.wsdl.cc.types.ConfigureNetwork;
import com.eucalyptus.wsdl.cc.types.ConfigureNetworkResponse;
import com.eucalyptus.wsdl.cc.types.ConfigureNetworkResponseType;
import com.eucalyptus.wsdl.cc.types.DescribePublicAddresses;
import com.eucalyptus.wsdl.cc.types.DescribePublicAddressesResponse;
import com.eucalyptus.wsdl.cc.types.DescribePublicAddressesResponseType;
import com.eucalyptus.wsdl.cc.types.NetworkRule;
import com.eucalyptus.wsdl.cc.types.RunInstances;
import com.eucalyptus.wsdl.cc.types.RunInstancesResponse;
import com.eucalyptus.wsdl.cc.types.RunInstancesResponseType;
import com.eucalyptus.wsdl.cc.types.RunInstancesType;
import com.eucalyptus.wsdl.cc.types.StartNetwork;
import com.eucalyptus.wsdl.cc.types.StartNetworkResponse;
import com.eucalyptus.wsdl.cc.types.StartNetworkResponseType;
import com.eucalyptus.wsdl.cc.types.StartNetworkType;
import com.eucalyptus.wsdl.cc.types.StopNetwork;
import com.eucalyptus.wsdl.cc.types.StopNetworkResponse;
import com.eucalyptus.wsdl.cc.types.StopNetworkResponseType;
import com.eucalyptus.wsdl.cc.types.UnassignAddress;
import com.eucalyptus.wsdl.cc.types.UnassignAddressResponse;
import com.eucalyptus.wsdl.cc.types.UnassignAddressResponseType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The networking calls of {@link SoapClusterClient} over real SOAP (Axis2, the WSDL's types) to a
 * recording EucalyptusCC service in the test: the fields as the tier contract puts them, and the
 * CC's return/statusMessage read back. (Unsigned: the signing is the same code as the other
 * calls', tested with the real CC in the cc module and the integration tests.)
 */
class SoapClusterClientNetworkTest {
  static StandInCc server;
  static int port;
  static final List<Object> received = new ArrayList<>();
  /** what the recording CC answers next: return and statusMessage */
  static volatile boolean answerOk = true;
  static volatile String answerMessage = null;

  /** Records each request, answers as told. */
  static final class RecordingCc extends EucalyptusCCSkeleton {
    @Override
    public StartNetworkResponse startNetwork(StartNetwork req) {
      received.add(req.getStartNetwork());
      StartNetworkResponseType t = new StartNetworkResponseType();
      answer(t);
      StartNetworkResponse r = new StartNetworkResponse();
      r.setStartNetworkResponse(t);
      return r;
    }

    @Override
    public StopNetworkResponse stopNetwork(StopNetwork req) {
      received.add(req.getStopNetwork());
      StopNetworkResponseType t = new StopNetworkResponseType();
      answer(t);
      StopNetworkResponse r = new StopNetworkResponse();
      r.setStopNetworkResponse(t);
      return r;
    }

    @Override
    public ConfigureNetworkResponse configureNetwork(ConfigureNetwork req) {
      received.add(req.getConfigureNetwork());
      ConfigureNetworkResponseType t = new ConfigureNetworkResponseType();
      answer(t);
      ConfigureNetworkResponse r = new ConfigureNetworkResponse();
      r.setConfigureNetworkResponse(t);
      return r;
    }

    @Override
    public AssignAddressResponse assignAddress(AssignAddress req) {
      received.add(req.getAssignAddress());
      AssignAddressResponseType t = new AssignAddressResponseType();
      answer(t);
      AssignAddressResponse r = new AssignAddressResponse();
      r.setAssignAddressResponse(t);
      return r;
    }

    @Override
    public UnassignAddressResponse unassignAddress(UnassignAddress req) {
      received.add(req.getUnassignAddress());
      UnassignAddressResponseType t = new UnassignAddressResponseType();
      answer(t);
      UnassignAddressResponse r = new UnassignAddressResponse();
      r.setUnassignAddressResponse(t);
      return r;
    }

    @Override
    public DescribePublicAddressesResponse describePublicAddresses(DescribePublicAddresses req) {
      received.add(req.getDescribePublicAddresses());
      DescribePublicAddressesResponseType t = new DescribePublicAddressesResponseType();
      answer(t);
      if (answerOk) {
        t.setSourceAddresses(new String[] {"203.0.113.1", "203.0.113.2"});
        t.setDestAddresses(new String[] {"10.0.2.2", ""});
      }
      DescribePublicAddressesResponse r = new DescribePublicAddressesResponse();
      r.setDescribePublicAddressesResponse(t);
      return r;
    }

    @Override
    public RunInstancesResponse runInstances(RunInstances req) {
      received.add(req.getRunInstances());
      RunInstancesResponseType t = new RunInstancesResponseType();
      answer(t);
      RunInstancesResponse r = new RunInstancesResponse();
      r.setRunInstancesResponse(t);
      return r;
    }

    private static void answer(com.eucalyptus.wsdl.cc.types.EucalyptusMessage t) {
      StandInCc.answer(t, answerOk, answerMessage);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = new StandInCc(new RecordingCc());
    port = server.port;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  SoapClusterClient client() {
    return new SoapClusterClient(null, Duration.ofSeconds(20));
  }

  @Test
  void networkCallsCarryTheContractsFieldsAndTheAnswersAreRead() throws Exception {
    received.clear();
    answerOk = true;
    answerMessage = null;
    SoapClusterClient c = client();
    assertEquals(new ClusterClient.Answer(true, null), c.startNetwork("127.0.0.1", port, "alice", "web", 7));
    StartNetworkType start = (StartNetworkType) received.get(0);
    assertEquals("alice", start.getUserId());
    assertEquals("web", start.getNetName());
    assertEquals(7, start.getVlan());

    c.configureNetwork("127.0.0.1", port, "alice", List.of(
        new ClusterClient.NetRule("firewall-close", "web", null, 0, 0, List.of(), List.of(), List.of()),
        new ClusterClient.NetRule("firewall-open", "web", "icmp", 8, -1, List.of("10.1.0.0/16"), List.of(), List.of()),
        new ClusterClient.NetRule("firewall-open", "web", "tcp", 22, 22, List.of(), List.of("bob"), List.of("default"))));
    NetworkRule[] rules = ((com.eucalyptus.wsdl.cc.types.ConfigureNetworkType) received.get(1)).getRules();
    assertEquals(3, rules.length);
    assertEquals("firewall-close", rules[0].getType());
    assertEquals("web", rules[0].getDestName());
    assertFalse(rules[0].isProtocolSpecified());
    assertEquals("icmp", rules[1].getProtocol());
    assertEquals(8, rules[1].getPortRangeMin());
    assertEquals(-1, rules[1].getPortRangeMax());
    assertArrayEquals(new String[] {"10.1.0.0/16"}, rules[1].getSourceNets());
    assertNull(rules[1].getUserNames());
    assertArrayEquals(new String[] {"bob"}, rules[2].getUserNames());
    assertArrayEquals(new String[] {"default"}, rules[2].getSourceNames());

    c.assignAddress("127.0.0.1", port, "203.0.113.1", "10.0.2.2");
    AssignAddressType assign = (AssignAddressType) received.get(2);
    assertEquals("203.0.113.1", assign.getSource());
    assertEquals("10.0.2.2", assign.getDest());
    c.unassignAddress("127.0.0.1", port, "203.0.113.1", "10.0.2.2");
    c.stopNetwork("127.0.0.1", port, "alice", "web", 7);

    ClusterClient.PublicAddresses pool = c.describePublicAddresses("127.0.0.1", port);
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("203.0.113.1", "10.0.2.2");
    expected.put("203.0.113.2", "");
    assertTrue(pool.ok());
    assertEquals(expected, pool.assignedTo());
  }

  @Test
  void aRefusalIsReturnFalseWithTheCodedStatusMessage() throws Exception {
    answerOk = false;
    answerMessage = "UnsupportedOperation: VNET_MODE SYSTEM has no public addresses";
    try {
      SoapClusterClient c = client();
      ClusterClient.PublicAddresses pool = c.describePublicAddresses("127.0.0.1", port);
      assertFalse(pool.ok());
      assertEquals(Map.of(), pool.assignedTo());
      assertEquals(new CcStatus("UnsupportedOperation", "VNET_MODE SYSTEM has no public addresses"),
          CcStatus.parse(pool.message(), "InvalidParameterValue"));
      answerMessage = "InvalidParameterCombination: one group per instance in MANAGED-NOVLAN";
      ClusterClient.Launched l = c.runInstances("127.0.0.1", port, new ClusterClient.Launch("r-1", List.of("i-0000ABCD"),
          1, "alice", "emi-1", "http://w/i", "eki-1", "http://w/k", null, null, new ClusterClient.VmType("m1.small", 1,
          128, 2), null, "", 0, List.of("default", "web"), 3, List.of("d0:0d:00:00:ab:cd")));
      assertFalse(l.started());
      assertEquals(answerMessage, l.message());
      RunInstancesType run = (RunInstancesType) received.get(received.size() - 1);
      assertEquals(3, run.getVlan());
      assertArrayEquals(new String[] {"default", "web"}, run.getNetNames());
      assertArrayEquals(new String[] {"d0:0d:00:00:ab:cd"}, run.getMacAddresses());
    } finally {
      answerOk = true;
      answerMessage = null;
    }
  }
}
