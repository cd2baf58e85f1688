package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.bench.LatencyBench;
import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.SoapCaptureProxy;
import com.eucalyptus.itests.support.SoapCaptureProxy.Captured;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.runtime.soap.WsSecurityKeys;
import com.eucalyptus.wsdl.cc.EucalyptusCCStub;
import com.eucalyptus.wsdl.nc.EucalyptusNCStub;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The signed hops between the real daemons: genuinely signed messages are captured on their way
 * to the running CC and NC, then replayed, tampered with, or stripped of their signature. Each is
 * refused with a SOAP fault, and the daemon keeps serving signed requests.
 */
class SignedSoapIT {
  static CloudInstallation cloud;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void start() {
    cloud = CloudInstallation.install("soap", Map.of());
    cloud.startAll();
    cloud.eucaConf("--addnode", "127.0.0.1").assertOk();
    cloud.stop("cc");
    cloud.start("cc");
  }

  @AfterAll
  static void stop() {
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  void clusterControllerRefusesReplayedTamperedAndUnsignedMessages() throws Exception {
    WsSecurityKeys clc = WsSecurityKeys.load(cloud.keysDir(), "cloud-pk.pem", "cloud-cert.pem", "cluster-cert.pem");
    String base = "http://127.0.0.1:8774";
    try (SoapCaptureProxy proxy = new SoapCaptureProxy(base)) {
      EucalyptusCCStub viaProxy = SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(),
          "http://127.0.0.1:" + proxy.port() + "/axis2/services/EucalyptusCC"), clc, Duration.ofSeconds(30));
      EucalyptusCCStub direct = SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(),
          base + "/axis2/services/EucalyptusCC"), clc, Duration.ofSeconds(30));
      Supplier<Object> goodCall = () -> call(() -> direct.describeResources(LatencyBench.describeResources()));
      call(() -> viaProxy.describeResources(LatencyBench.describeResources()));
      call(() -> viaProxy.describeResources(LatencyBench.describeResources()));
      checkRefusals(base, proxy.captured(), "m1.small", goodCall);
    }
  }

  @Test
  void nodeControllerRefusesReplayedTamperedAndUnsignedMessages() throws Exception {
    WsSecurityKeys cc = WsSecurityKeys.load(cloud.keysDir(), "cluster-pk.pem", "cluster-cert.pem", "node-cert.pem");
    String base = "http://127.0.0.1:8775";
    try (SoapCaptureProxy proxy = new SoapCaptureProxy(base)) {
      EucalyptusNCStub viaProxy = SoapClients.secure(new EucalyptusNCStub(SoapClients.clientContext(),
          "http://127.0.0.1:" + proxy.port() + "/axis2/services/EucalyptusNC"), cc, Duration.ofSeconds(30));
      EucalyptusNCStub direct = SoapClients.secure(new EucalyptusNCStub(SoapClients.clientContext(),
          base + "/axis2/services/EucalyptusNC"), cc, Duration.ofSeconds(30));
      Supplier<Object> goodCall = () -> call(() -> direct.ncDescribeResource(LatencyBench.ncDescribeResource()));
      call(() -> viaProxy.ncDescribeResource(LatencyBench.ncDescribeResource()));
      call(() -> viaProxy.ncDescribeResource(LatencyBench.ncDescribeResource()));
      checkRefusals(base, proxy.captured(), "bench", goodCall);
    }
  }

  @Test
  void bothDaemonsRefuseExpiredMessages() throws Exception {
    WsSecurityKeys clc = WsSecurityKeys.load(cloud.keysDir(), "cloud-pk.pem", "cloud-cert.pem", "cluster-cert.pem");
    WsSecurityKeys cc = WsSecurityKeys.load(cloud.keysDir(), "cluster-pk.pem", "cluster-cert.pem", "node-cert.pem");
    try (SoapCaptureProxy ccProxy = new SoapCaptureProxy("http://127.0.0.1:8774");
        SoapCaptureProxy ncProxy = new SoapCaptureProxy("http://127.0.0.1:8775")) {
      // Timestamps valid for one second only
      EucalyptusCCStub toCc = SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(),
          "http://127.0.0.1:" + ccProxy.port() + "/axis2/services/EucalyptusCC"), clc, Duration.ofSeconds(30), Duration.ofSeconds(1));
      EucalyptusNCStub toNc = SoapClients.secure(new EucalyptusNCStub(SoapClients.clientContext(),
          "http://127.0.0.1:" + ncProxy.port() + "/axis2/services/EucalyptusNC"), cc, Duration.ofSeconds(30), Duration.ofSeconds(1));
      call(() -> toCc.describeResources(LatencyBench.describeResources()));
      call(() -> toNc.ncDescribeResource(LatencyBench.ncDescribeResource()));
      // past the Timestamp's Expires and the daemons' 60 s clock-skew allowance
      Thread.sleep(63_000);
      for (var p : List.of(Map.entry("http://127.0.0.1:8774", ccProxy), Map.entry("http://127.0.0.1:8775", ncProxy))) {
        Captured c = p.getValue().captured().get(0);
        HttpResponse<String> r = SoapCaptureProxy.send(p.getKey(), c, c.body());
        assertFault(r, "expired");
        assertTrue(r.body().contains("timestamp"), "refused for its timestamp: " + r.body());
      }
    }
  }

  private static void checkRefusals(String base, List<Captured> captured, String valueInBody, Supplier<Object> goodCall)
      throws Exception {
    assertEquals(2, captured.size(), "two signed requests went through the proxy");
    Captured first = captured.get(0);
    Captured second = captured.get(1);
    assertTrue(first.bodyText().contains("wsse:Security") || first.bodyText().contains(":Security"),
        "the captured request is signed: " + first.bodyText());

    // 1. replay: the very same signed bytes a second time
    assertFault(SoapCaptureProxy.send(base, first, first.body()), "replayed");
    goodCall.get();

    // 2. tampered: one value inside the signed Body changed
    String body = second.bodyText();
    assertTrue(body.contains(valueInBody), body);
    String tampered = body.replaceFirst(java.util.regex.Pattern.quote(valueInBody), valueInBody.substring(0, valueInBody.length() - 1) + "X");
    assertNotEquals(body, tampered);
    assertFault(SoapCaptureProxy.send(base, second, tampered.getBytes(StandardCharsets.UTF_8)), "tampered");
    goodCall.get();

    // 3. unsigned: the Security header removed
    String unsigned = body.replaceAll("(?s)<wsse:Security.*</wsse:Security>", "");
    assertNotEquals(body, unsigned, "Security header found and removed");
    assertFault(SoapCaptureProxy.send(base, second, unsigned.getBytes(StandardCharsets.UTF_8)), "unsigned");
    goodCall.get();
  }

  private static void assertFault(HttpResponse<String> r, String what) {
    assertEquals(500, r.statusCode(), what + " message must be refused: " + r.body());
    assertTrue(r.body().contains("Fault"), what + " refusal is a SOAP fault: " + r.body());
  }

  interface Remote {
    Object run() throws Exception;
  }

  private static Object call(Remote r) {
    try {
      return r.run();
    } catch (Exception e) {
      throw new AssertionError("signed call failed: " + e, e);
    }
  }
}
