package com.eucalyptus.clc.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.wsdl.cc.EucalyptusCCSkeleton;
import com.eucalyptus.wsdl.cc.types.AttachVolume;
import com.eucalyptus.wsdl.cc.types.AttachVolumeResponse;
import com.eucalyptus.wsdl.cc.types.AttachVolumeResponseType;
import com.eucalyptus.wsdl.cc.types.AttachVolumeType;
import com.eucalyptus.wsdl.cc.types.CcInstanceType;
import com.eucalyptus.wsdl.cc.types.DescribeInstances;
import com.eucalyptus.wsdl.cc.types.DescribeInstancesResponse;
import com.eucalyptus.wsdl.cc.types.DescribeInstancesResponseType;
import com.eucalyptus.wsdl.cc.types.DetachVolume;
import com.eucalyptus.wsdl.cc.types.DetachVolumeResponse;
import com.eucalyptus.wsdl.cc.types.DetachVolumeResponseType;
import com.eucalyptus.wsdl.cc.types.DetachVolumeType;
import com.eucalyptus.wsdl.cc.types.VolumeType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The volume calls of {@link SoapClusterClient} over real SOAP (Axis2, the WSDL's types) to a
 * recording EucalyptusCC service in the test: AttachVolume and DetachVolume carry the contract's
 * fields, a refusal's return/statusMessage is read back, and DescribeInstances' volumes reach the
 * CLC (what a restart settles attachments by). Unsigned, as SoapClusterClientNetworkTest.
 */
class SoapClusterClientVolumeTest {
  static StandInCc server;
  static int port;
  static final List<Object> received = new ArrayList<>();
  static volatile boolean answerOk = true;
  static volatile String answerMessage;

  static final class RecordingCc extends EucalyptusCCSkeleton {
    @Override
    public AttachVolumeResponse attachVolume(AttachVolume req) {
      received.add(req.getAttachVolume());
      AttachVolumeResponseType t = new AttachVolumeResponseType();
      answer(t);
      AttachVolumeResponse r = new AttachVolumeResponse();
      r.setAttachVolumeResponse(t);
      return r;
    }

    @Override
    public DetachVolumeResponse detachVolume(DetachVolume req) {
      received.add(req.getDetachVolume());
      DetachVolumeResponseType t = new DetachVolumeResponseType();
      answer(t);
      DetachVolumeResponse r = new DetachVolumeResponse();
      r.setDetachVolumeResponse(t);
      return r;
    }

    @Override
    public DescribeInstancesResponse describeInstances(DescribeInstances req) {
      DescribeInstancesResponseType t = new DescribeInstancesResponseType();
      answer(t);
      CcInstanceType i = new CcInstanceType();
      i.setInstanceId("i-0000ABCD");
      i.setStateName("Extant");
      VolumeType v = new VolumeType();
      v.setVolumeId("vol-0000BEEF");
      v.setRemoteDev("nbd://192.0.2.10:10810/vol-0000BEEF");
      v.setLocalDev("/dev/sdb");
      v.setState("attached");
      i.addVolumes(v);
      t.addInstances(i);
      DescribeInstancesResponse r = new DescribeInstancesResponse();
      r.setDescribeInstancesResponse(t);
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

  @Test
  void attachDetachAndTheReportedVolumes() throws Exception {
    SoapClusterClient c = new SoapClusterClient(null, Duration.ofSeconds(20));
    answerOk = true;
    answerMessage = null;
    assertTrue(c.attachVolume("127.0.0.1", port, "alice", "vol-0000BEEF", "i-0000ABCD",
        "nbd://192.0.2.10:10810/vol-0000BEEF", "/dev/sdb").ok());
    AttachVolumeType a = (AttachVolumeType) received.get(received.size() - 1);
    assertEquals("alice", a.getUserId());
    assertEquals("vol-0000BEEF", a.getVolumeId());
    assertEquals("i-0000ABCD", a.getInstanceId());
    assertEquals("nbd://192.0.2.10:10810/vol-0000BEEF", a.getRemoteDev());
    assertEquals("/dev/sdb", a.getLocalDev());

    answerOk = false;
    answerMessage = "IncorrectState: the guest of i-0000ABCD has not released volume vol-0000BEEF";
    ClusterClient.Answer refused = c.detachVolume("127.0.0.1", port, "alice", "vol-0000BEEF", "i-0000ABCD",
        "nbd://192.0.2.10:10810/vol-0000BEEF", "/dev/sdb", true);
    assertFalse(refused.ok());
    assertEquals(new CcStatus("IncorrectState", "the guest of i-0000ABCD has not released volume vol-0000BEEF"),
        CcStatus.parse(refused.message(), null));
    DetachVolumeType d = (DetachVolumeType) received.get(received.size() - 1);
    assertTrue(d.getForce());
    assertEquals("vol-0000BEEF", d.getVolumeId());

    answerOk = true;
    answerMessage = null;
    List<ClusterClient.ReportedInstance> r = c.describeInstances("127.0.0.1", port, List.of("i-0000ABCD"));
    assertEquals(List.of(new ClusterClient.ReportedVolume("vol-0000BEEF", "nbd://192.0.2.10:10810/vol-0000BEEF",
        "/dev/sdb", "attached")), r.get(0).volumes());
  }
}
