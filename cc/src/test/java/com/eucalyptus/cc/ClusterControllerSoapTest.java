package com.eucalyptus.cc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.runtime.soap.SoapServer;
import com.eucalyptus.runtime.soap.WsSecurityKeys;
import com.eucalyptus.wsdl.cc.EucalyptusCCStub;
import com.eucalyptus.wsdl.cc.types.*;
import com.eucalyptus.wsdl.gl.EucalyptusGLStub;
import com.eucalyptus.wsdl.gl.types.GetKeys;
import com.eucalyptus.wsdl.gl.types.GetKeysResponseType;
import com.eucalyptus.wsdl.gl.types.GetKeysType;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.axis2.AxisFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real CC service, signed, in front of two signed stand-in nodes of different sizes (the CC
 * module may not use the NC's code: see {@link StandInNc}), once with GREEDY and once with
 * ROUNDROBIN. The real NC is driven end to end by itests.
 */
class ClusterControllerSoapTest {
  static Path home;
  static Path keys;
  /** a: 2048 MB (1024 free), 40 GB, 4 cores (2 free); b: 1024 MB, 20 GB, 2 cores, all free */
  static final StandInNc ncA = new StandInNc(2048, 40, 4, 1024, 2);
  static final StandInNc ncB = new StandInNc(1024, 20, 2, 0, 0);
  static int portA;
  static int portB;
  static SoapServer nodeA;
  static SoapServer nodeB;
  /** the same two nodes behind a GREEDY and a ROUNDROBIN CC */
  static ClusterControllerMain.Running greedy;
  static ClusterControllerMain.Running roundRobin;
  static String ccBase;
  static String rrBase;
  static final AtomicInteger ids = new AtomicInteger(0x5000);

  @BeforeAll
  static void start() throws Exception {
    home = Files.createTempDirectory("euca-cc-test");
    EucaPaths paths = CcTestSupport.signedHome(home);
    keys = paths.keysDir();
    portA = freePort();
    portB = freePort();
    nodeA = startNode(portA, ncA);
    nodeB = startNode(portB, ncB);
    String nodes = "127.0.0.1:" + portA + " 127.0.0.1:" + portB;
    int ccPort = freePort();
    greedy = ClusterControllerMain.start(paths, EucalyptusConf.of(Map.of("CC_PORT", String.valueOf(ccPort),
        "NODES", nodes, "ENABLE_WS_SECURITY", "Y", "SCHEDPOLICY", "GREEDY", "NC_POLLING_FREQUENCY", "1")));
    ccBase = "http://127.0.0.1:" + ccPort + "/axis2/services/";
    int rrPort = freePort();
    roundRobin = ClusterControllerMain.start(paths, EucalyptusConf.of(Map.of("CC_PORT", String.valueOf(rrPort),
        "NODES", nodes, "ENABLE_WS_SECURITY", "Y", "SCHEDPOLICY", "ROUNDROBIN", "NC_POLLING_FREQUENCY", "1")));
    rrBase = "http://127.0.0.1:" + rrPort + "/axis2/services/";
  }

  static SoapServer startNode(int port, StandInNc nc) throws Exception {
    return CcTestSupport.startNode(keys, port, nc);
  }

  @AfterAll
  static void stop() {
    greedy.stop();
    roundRobin.stop();
    nodeA.stop();
    nodeB.stop();
  }

  /** Each test starts with both nodes up, answering and empty. */
  @AfterEach
  void emptyTheNodes() throws Exception {
    ncA.instances.clear();
    ncB.instances.clear();
    ncA.volumeCalls.clear();
    ncB.volumeCalls.clear();
    ncA.refuseRuns = false;
    if (nodeA == null) {
      nodeA = startNode(portA, ncA);
    }
    greedy.nodes().refresh();
    roundRobin.nodes().refresh();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static WsSecurityKeys clcKeys() throws IOException {
    return WsSecurityKeys.load(keys, "cloud-pk.pem", "cloud-cert.pem", "cluster-cert.pem");
  }

  static EucalyptusCCStub cc(String base) throws IOException {
    return CcTestSupport.signedCc(keys, base);
  }

  static String nodeUrl(int port) {
    return "http://127.0.0.1:" + port + "/axis2/services/EucalyptusNC";
  }

  static VirtualMachineType vm(String name, int mem, int cores, int disk) {
    VirtualMachineType v = new VirtualMachineType();
    v.setName(name);
    v.setMemory(mem);
    v.setCores(cores);
    v.setDisk(disk);
    return v;
  }

  static DescribeResources describeResources() {
    DescribeResourcesType t = new DescribeResourcesType();
    t.setCorrelationId("test");
    t.addInstanceTypes(vm("m1.small", 128, 1, 2));
    t.addInstanceTypes(vm("m1.large", 512, 2, 10));
    t.addInstanceTypes(vm("c1.xlarge", 2048, 4, 20));
    DescribeResources r = new DescribeResources();
    r.setDescribeResources(t);
    return r;
  }

  /** RunInstances of {@code count} m1.small as the CLC sends it. */
  static RunInstances run(int count, int min) {
    RunInstancesType t = new RunInstancesType();
    t.setCorrelationId("test");
    t.setUserId("alice");
    t.setImageId("emi-11111111");
    t.setKernelId("eki-22222222");
    t.setImageURL("http://walrus:8773/services/Walrus/b/img.manifest.xml");
    t.setKernelURL("http://walrus:8773/services/Walrus/b/k.manifest.xml");
    t.setInstanceType(vm("m1.small", 128, 1, 2));
    t.setKeyName("ssh-rsa AAAAB3Nza test@key");
    t.setMaxCount(count);
    t.setMinCount(min);
    t.setReservationId(String.format("r-%08X", ids.incrementAndGet()));
    for (int k = 0; k < count; k++) {
      String id = String.format("i-%08X", ids.incrementAndGet());
      t.addInstanceIds(id);
      t.addMacAddresses("d0:0d:" + id.substring(2, 4) + ":" + id.substring(4, 6) + ":" + id.substring(6, 8) + ":"
          + id.substring(8, 10));
    }
    t.addNetNames("default");
    t.setUserData(Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8)));
    t.setLaunchIndex("0");
    RunInstances r = new RunInstances();
    r.setRunInstances(t);
    return r;
  }

  static CcInstanceType[] describeInstances(EucalyptusCCStub cc, String... idsWanted) throws Exception {
    DescribeInstancesType t = new DescribeInstancesType();
    t.setCorrelationId("test");
    for (String id : idsWanted) {
      t.addInstanceIds(id);
    }
    DescribeInstances r = new DescribeInstances();
    r.setDescribeInstances(t);
    CcInstanceType[] out = cc.describeInstances(r).getDescribeInstancesResponse().getInstances();
    return out == null ? new CcInstanceType[0] : out;
  }

  @Test
  void roundRobinPutsTwoInstancesOneOnEachNode() throws Exception {
    RunInstancesResponseType r = cc(rrBase).runInstances(run(2, 2)).getRunInstancesResponse();
    assertTrue(r.get_return());
    assertEquals(2, r.getInstances().length);
    assertEquals(1, ncA.instances.size());
    assertEquals(1, ncB.instances.size());
    assertFalse(r.getInstances()[0].getServiceTag().equals(r.getInstances()[1].getServiceTag()));
  }

  @Test
  void greedyPutsBothOnTheFirstNodeWithRoomAndAnswersThemAsPlaced() throws Exception {
    RunInstances req = run(2, 1);
    RunInstancesResponseType r = cc(ccBase).runInstances(req).getRunInstancesResponse();
    assertTrue(r.get_return());
    assertEquals(2, ncA.instances.size());
    assertEquals(0, ncB.instances.size());
    CcInstanceType first = r.getInstances()[0];
    RunInstancesType sent = req.getRunInstances();
    assertEquals(sent.getInstanceIds()[0], first.getInstanceId());
    assertEquals(nodeUrl(portA), first.getServiceTag());
    assertEquals(sent.getReservationId(), first.getReservationId());
    assertEquals("alice", first.getOwnerId());
    assertEquals(sent.getMacAddresses()[0], first.getNetParams().getPrivateMacAddress());
    assertEquals("0.0.0.0", first.getNetParams().getPrivateIp());
    assertEquals("0", first.getLaunchIndex());
    assertEquals("1", r.getInstances()[1].getLaunchIndex());
    assertArrayEquals(new String[] {"default"}, first.getGroupNames());
    assertEquals("m1.small", first.getInstanceType().getName());
    // what the node was asked for
    com.eucalyptus.wsdl.nc.types.InstanceType onNode = ncA.instances.get(first.getInstanceId());
    assertEquals("alice", onNode.getUserId());
    assertEquals(sent.getKeyName(), onNode.getKeyName());
    assertEquals(sent.getUserData(), onNode.getUserData());
    assertEquals(128, onNode.getInstanceType().getMemory());
    assertEquals(sent.getMacAddresses()[0], onNode.getNetParams().getPublicMacAddress());
    // a third does not fit on a (2 cores free): it goes to b
    cc(ccBase).runInstances(run(1, 1));
    assertEquals(1, ncB.instances.size());
  }

  @Test
  void aStoppedNodeIsSkipped() throws Exception {
    nodeA.stop();
    nodeA = null;
    // the CC's next poll finds a silent
    EucalyptusCCStub cc = cc(ccBase);
    cc.describeResources(describeResources());
    assertFalse(greedy.nodes().find(nodeUrl(portA)).up());
    RunInstancesResponseType r = cc.runInstances(run(1, 1)).getRunInstancesResponse();
    assertEquals(nodeUrl(portB), r.getInstances()[0].getServiceTag());
    assertEquals(1, ncB.instances.size());
  }

  @Test
  void anInstanceWhoseNodeFailsTheRunLandsOnTheOther() throws Exception {
    ncA.refuseRuns = true;
    RunInstancesResponseType r = cc(ccBase).runInstances(run(1, 1)).getRunInstancesResponse();
    assertTrue(r.get_return());
    assertEquals(nodeUrl(portB), r.getInstances()[0].getServiceTag());
    assertEquals(0, ncA.instances.size());
    assertEquals(1, ncB.instances.size());
  }

  @Test
  void moreThanTheClusterHoldsIsRefusedAndNothingIsLeftRunning() throws Exception {
    // room for 4 smalls in all
    RunInstancesResponseType r = cc(ccBase).runInstances(run(5, 5)).getRunInstancesResponse();
    assertFalse(r.get_return());
    assertTrue(r.getStatusMessage().startsWith("InsufficientInstanceCapacity"), r.getStatusMessage());
    assertEquals(0, ncA.instances.size() + ncB.instances.size());
  }

  @Test
  void aRequestWithoutAKernelGetsAFaultAndNothingRuns() throws Exception {
    RunInstances req = run(1, 1);
    req.getRunInstances().setKernelURL(null);
    AxisFault f = assertThrows(AxisFault.class, () -> cc(ccBase).runInstances(req));
    assertTrue(f.getMessage().contains("kernel"), f.getMessage());
    assertEquals(0, ncA.instances.size() + ncB.instances.size());
    assertTrue(greedy.nodes().find(nodeUrl(portA)).up());
  }

  @Test
  void describeRebootConsoleAndTerminateGoToTheNodeThatRunsTheInstance() throws Exception {
    EucalyptusCCStub cc = cc(rrBase);
    CcInstanceType[] placed = cc.runInstances(run(2, 2)).getRunInstancesResponse().getInstances();
    String onB = Arrays.stream(placed).filter(i -> i.getServiceTag().equals(nodeUrl(portB))).findFirst().orElseThrow()
        .getInstanceId();
    CcInstanceType[] seen = describeInstances(cc, onB);
    assertEquals(1, seen.length);
    assertEquals("Extant", seen[0].getStateName());
    assertEquals(nodeUrl(portB), seen[0].getServiceTag());
    assertNotNull(seen[0].getLastSeen());
    assertEquals(2, describeInstances(cc).length);

    RebootInstancesType rb = new RebootInstancesType();
    rb.addInstanceIds(onB);
    RebootInstances rbr = new RebootInstances();
    rbr.setRebootInstances(rb);
    assertTrue(cc.rebootInstances(rbr).getRebootInstancesResponse().getStatus());
    assertEquals(java.util.List.of(onB), ncB.reboots);
    ncB.reboots.clear();

    GetConsoleOutputType co = new GetConsoleOutputType();
    co.setInstanceId(onB);
    GetConsoleOutput cor = new GetConsoleOutput();
    cor.setGetConsoleOutput(co);
    GetConsoleOutputResponseType console = cc.getConsoleOutput(cor).getGetConsoleOutputResponse();
    String out = console.getConsoleOutput();
    assertEquals(new java.util.GregorianCalendar(2026, 0, 2, 3, 4, 5).toInstant(), console.getTimestamp().toInstant());
    assertEquals("console of " + onB + "\n", new String(Base64.getDecoder().decode(out), StandardCharsets.UTF_8));

    TerminateInstancesType tt = new TerminateInstancesType();
    tt.addInstanceIds(onB);
    tt.addInstanceIds("i-DEADBEEF");
    TerminateInstances ttr = new TerminateInstances();
    ttr.setTerminateInstances(tt);
    boolean[] done = cc.terminateInstances(ttr).getTerminateInstancesResponse().getIsTerminated();
    assertArrayEquals(new boolean[] {true, false}, done);
    assertFalse(ncB.instances.containsKey(onB));
    assertEquals(1, ncA.instances.size());
    // the node no longer reports it: gone from the CC's answer
    assertEquals(0, describeInstances(cc, onB).length);
    assertEquals(1, describeInstances(cc).length);
  }

  static AttachVolumeResponseType attach(EucalyptusCCStub cc, String instanceId, String volumeId, String remoteDev)
      throws Exception {
    AttachVolumeType t = new AttachVolumeType();
    t.setCorrelationId("attach");
    t.setUserId("alice");
    t.setInstanceId(instanceId);
    t.setVolumeId(volumeId);
    t.setRemoteDev(remoteDev);
    t.setLocalDev("/dev/sdb");
    AttachVolume r = new AttachVolume();
    r.setAttachVolume(t);
    return cc.attachVolume(r).getAttachVolumeResponse();
  }

  @Test
  void attachAndDetachVolumeGoToTheInstancesNodeAndDescribeInstancesCarriesItsVolumes() throws Exception {
    EucalyptusCCStub cc = cc(rrBase);
    CcInstanceType[] placed = cc.runInstances(run(2, 2)).getRunInstancesResponse().getInstances();
    String onB = Arrays.stream(placed).filter(i -> i.getServiceTag().equals(nodeUrl(portB))).findFirst().orElseThrow()
        .getInstanceId();
    String remote = "nbd://storage.example:10811/vol-5A5A0001";
    AttachVolumeResponseType a = attach(cc, onB, "vol-5A5A0001", remote);
    assertTrue(a.get_return(), a.getStatusMessage());
    assertEquals(0, ncA.volumeCalls.size(), "only the instance's node is asked");
    assertEquals(1, ncB.volumeCalls.size());
    com.eucalyptus.wsdl.nc.types.NcAttachVolumeType sent = (com.eucalyptus.wsdl.nc.types.NcAttachVolumeType) ncB.volumeCalls.get(0);
    assertEquals(onB, sent.getInstanceId());
    assertEquals("vol-5A5A0001", sent.getVolumeId());
    assertEquals(remote, sent.getRemoteDev());
    assertEquals("/dev/sdb", sent.getLocalDev());

    VolumeType[] volumes = describeInstances(cc, onB)[0].getVolumes();
    assertEquals(1, volumes.length);
    assertEquals("vol-5A5A0001", volumes[0].getVolumeId());
    assertEquals(remote, volumes[0].getRemoteDev());
    assertEquals("/dev/sdb", volumes[0].getLocalDev());
    assertEquals("attached", volumes[0].getState());

    // the node's refusal comes back as return=false with its "Code: message"
    AttachVolumeResponseType twice = attach(cc, onB, "vol-5A5A0001", remote);
    assertFalse(twice.get_return());
    assertTrue(twice.getStatusMessage().startsWith("VolumeInUse: "), twice.getStatusMessage());
    // an instance the cluster does not know never reaches a node
    AttachVolumeResponseType unknown = attach(cc, "i-DEADBEEF", "vol-5A5A0002", remote);
    assertFalse(unknown.get_return());
    assertTrue(unknown.getStatusMessage().startsWith("InvalidInstanceID.NotFound: "), unknown.getStatusMessage());
    AttachVolumeResponseType noDev = attach(cc, onB, "vol-5A5A0003", " ");
    assertFalse(noDev.get_return());
    assertTrue(noDev.getStatusMessage().startsWith("InvalidParameterValue: remoteDev"), noDev.getStatusMessage());
    assertEquals(2, ncB.volumeCalls.size(), "neither reached the node");

    DetachVolumeType d = new DetachVolumeType();
    d.setInstanceId(onB);
    d.setVolumeId("vol-5A5A0001");
    d.setRemoteDev(remote);
    d.setLocalDev("/dev/sdb");
    d.setForce(true);
    DetachVolume dr = new DetachVolume();
    dr.setDetachVolume(d);
    assertTrue(cc.detachVolume(dr).getDetachVolumeResponse().get_return());
    com.eucalyptus.wsdl.nc.types.NcDetachVolumeType detached = (com.eucalyptus.wsdl.nc.types.NcDetachVolumeType) ncB.volumeCalls.get(2);
    assertEquals("vol-5A5A0001", detached.getVolumeId());
    assertTrue(detached.getForce());
    assertEquals(null, describeInstances(cc, onB)[0].getVolumes());
  }

  @Test
  void whileANodeIsSilentItsInstancesAreReportedAsLastKnown() throws Exception {
    EucalyptusCCStub cc = cc(ccBase);
    String id = cc.runInstances(run(1, 1)).getRunInstancesResponse().getInstances()[0].getInstanceId();
    CcInstanceType before = describeInstances(cc, id)[0];
    nodeA.stop();
    nodeA = null;
    // a periodic poll may still have reached the node between 'before' and the stop; the first
    // answer after the stop (its refresh is sent after it) holds the last contact for good
    CcInstanceType silent = describeInstances(cc, id)[0];
    assertFalse(greedy.nodes().find(nodeUrl(portA)).up());
    CcInstanceType during = describeInstances(cc, id)[0];
    assertEquals("Extant", during.getStateName());
    assertFalse(silent.getLastSeen().before(before.getLastSeen()));
    assertEquals(silent.getLastSeen(), during.getLastSeen());
  }

  @Test
  void aRestartedCcLearnsTheInstancesFromTheNodes() throws Exception {
    cc(rrBase).runInstances(run(2, 2));
    int port = freePort();
    ClusterControllerMain.Running fresh = ClusterControllerMain.start(EucaPaths.at(home), EucalyptusConf.of(Map.of(
        "CC_PORT", String.valueOf(port), "NODES", "127.0.0.1:" + portA + " 127.0.0.1:" + portB,
        "ENABLE_WS_SECURITY", "Y", "SCHEDPOLICY", "ROUNDROBIN")));
    try {
      CcInstanceType[] seen = describeInstances(cc("http://127.0.0.1:" + port + "/axis2/services/"));
      assertEquals(2, seen.length);
      for (CcInstanceType i : seen) {
        assertEquals("alice", i.getOwnerId());
        assertTrue(i.getServiceTag().equals(nodeUrl(portA)) || i.getServiceTag().equals(nodeUrl(portB)));
      }
    } finally {
      fresh.stop();
    }
  }

  @Test
  void describeResourcesCountsWhatTheNodeReportsAndTheReplyIsSignedByTheCluster() throws Exception {
    EucalyptusCCStub stub = cc(ccBase);
    DescribeResourcesResponseType r = stub.describeResources(describeResources()).getDescribeResourcesResponse();
    ResourceType[] res = r.getResources();
    assertEquals(3, res.length);
    // small: a max min(2048/128, 40/2, 4/1) = 4, available min(1024/128, 40/2, 2/1) = 2;
    //        b max min(1024/128, 20/2, 2/1) = 2, available 2
    assertEquals(6, res[0].getMaxInstances());
    assertEquals(4, res[0].getAvailableInstances());
    // large: a max min(4, 4, 2) = 2, available min(2, 4, 1) = 1; b max min(2, 2, 1) = 1, available 1
    assertEquals(3, res[1].getMaxInstances());
    assertEquals(2, res[1].getAvailableInstances());
    // c1.xlarge: a max min(1, 2, 1) = 1, available min(0, 2, 0) = 0; b none
    assertEquals(1, res[2].getMaxInstances());
    assertEquals(0, res[2].getAvailableInstances());
    assertEquals(2, r.getServiceTags().length);
    assertEquals(Pem.readCertificate(keys.resolve("cluster-cert.pem")),
        SoapClients.lastReplySigner(stub));
  }

  @Test
  void getKeysReturnsTheCertificatesTheClusterAndTheNodeSignWith() throws Exception {
    EucalyptusCCStub cc = SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(), ccBase + "EucalyptusCC"),
        clcKeys(), Duration.ofSeconds(30));
    String tag = cc.describeResources(describeResources()).getDescribeResourcesResponse().getServiceTags()[0];
    EucalyptusGLStub gl = SoapClients.secure(new EucalyptusGLStub(SoapClients.clientContext(), ccBase + "EucalyptusGL"),
        clcKeys(), Duration.ofSeconds(30));
    GetKeysType t = new GetKeysType();
    t.setServiceTag(tag);
    GetKeys req = new GetKeys();
    req.setGetKeys(t);
    GetKeysResponseType got = gl.getKeys(req).getGetKeysResponse();
    Path dir = keys;
    assertEquals(Pem.readCertificate(dir.resolve("node-cert.pem")),
        Pem.parseCertificate(new String(Base64.getDecoder().decode(got.getNCcert()), StandardCharsets.US_ASCII)));
    assertEquals(Pem.readCertificate(dir.resolve("cluster-cert.pem")),
        Pem.parseCertificate(new String(Base64.getDecoder().decode(got.getCCcert()), StandardCharsets.US_ASCII)));
  }

  @Test
  void unsignedAndWronglySignedCallsAreRefusedAndTheCcKeepsServing() throws Exception {
    EucalyptusCCStub unsigned = SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(), ccBase + "EucalyptusCC"),
        null, Duration.ofSeconds(30));
    assertThrows(AxisFault.class, () -> unsigned.describeResources(describeResources()));
    // the node's key is a real cloud-issued key, but not the CLC's
    WsSecurityKeys nodeKeys = WsSecurityKeys.load(keys, "node-pk.pem", "node-cert.pem", "cluster-cert.pem");
    EucalyptusCCStub wrong = SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(), ccBase + "EucalyptusCC"),
        nodeKeys, Duration.ofSeconds(30));
    // refused; the refusal is an unsigned fault, which the signing client reports as such
    assertThrows(AxisFault.class, () -> wrong.describeResources(describeResources()));
    describeResourcesCountsWhatTheNodeReportsAndTheReplyIsSignedByTheCluster();
  }
}
