package com.eucalyptus.runtime.soap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.wsdl.nc.EucalyptusNCMessageReceiverInOut;
import com.eucalyptus.wsdl.nc.EucalyptusNCSkeletonInterface;
import com.eucalyptus.wsdl.nc.EucalyptusNCStub;
import com.eucalyptus.wsdl.nc.types.NcDescribeResource;
import com.eucalyptus.wsdl.nc.types.NcDescribeResourceResponse;
import com.eucalyptus.wsdl.nc.types.NcDescribeResourceResponseType;
import com.eucalyptus.wsdl.nc.types.NcDescribeResourceType;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.axis2.AxisFault;
import org.apache.axis2.context.MessageContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The signed CC→NC hop over real HTTP with the real generated bindings: a good call, and every
 * kind of message the receiver must refuse (with a SOAP fault, and still serving afterwards).
 */
class SignedSoapTest {
  static Path keys;
  static SoapServer server;
  static String url;
  static CertificateAuthority.Issued intruder;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    keys = Files.createTempDirectory("euca-soap-test");
    CertificateAuthority.Issued cloud = CertificateAuthority.newSelfSigned("CN=cloud, OU=Eucalyptus, O=Cloud, C=US");
    CertificateAuthority ca = new CertificateAuthority(cloud.certificate(), cloud.keyPair().getPrivate());
    write("cluster", ca.issue("CN=cluster, OU=Eucalyptus, O=Cloud, C=US"));
    write("node", ca.issue("CN=node, OU=Eucalyptus, O=Cloud, C=US"));
    Pem.writeCertificate(keys.resolve("cloud-cert.pem"), cloud.certificate());
    // a certificate from the same CA, as every user holds one: it must not be able to talk to a node
    intruder = ca.issue("CN=www.eucalyptus.com, OU=Eucalyptus, O=mallory, C=US");

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // a one-second clock-skew allowance so that an expired message can be shown without a long wait
    server = new SoapServer(port, KeySource.files(keys, "node-pk.pem", "node-cert.pem", "cluster-cert.pem"), Duration.ofSeconds(1));
    server.addService(EucalyptusNCStub.class.getResourceAsStream("/wsdl/eucalyptus_nc.wsdl"), "EucalyptusNC",
        new EucalyptusNCMessageReceiverInOut() {
          @Override
          protected Object getTheImplementationObject(MessageContext mc) {
            return fakeNode();
          }
        });
    server.start();
    url = "http://127.0.0.1:" + port + "/axis2/services/EucalyptusNC";
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  static void write(String name, CertificateAuthority.Issued issued) throws IOException {
    Pem.writeCertificate(keys.resolve(name + "-cert.pem"), issued.certificate());
    Pem.writePrivateKey(keys.resolve(name + "-pk.pem"), issued.keyPair().getPrivate());
  }

  /** An NC that answers ncDescribeResource with fixed numbers. */
  static EucalyptusNCSkeletonInterface fakeNode() {
    return (EucalyptusNCSkeletonInterface) java.lang.reflect.Proxy.newProxyInstance(SignedSoapTest.class.getClassLoader(),
        new Class<?>[] {EucalyptusNCSkeletonInterface.class}, (proxy, method, args) -> {
          if (!method.getName().equals("ncDescribeResource")) {
            throw new UnsupportedOperationException(method.getName());
          }
          NcDescribeResourceResponseType t = new NcDescribeResourceResponseType();
          t.setCorrelationId(((NcDescribeResource) args[0]).getNcDescribeResource().getCorrelationId());
          t.set_return(true);
          t.setNodeStatus("ok");
          t.setMemorySizeMax(4096);
          t.setMemorySizeAvailable(4000);
          t.setDiskSizeMax(100);
          t.setDiskSizeAvailable(90);
          t.setNumberOfCoresMax(4);
          t.setNumberOfCoresAvailable(3);
          NcDescribeResourceResponse r = new NcDescribeResourceResponse();
          r.setNcDescribeResourceResponse(t);
          return r;
        });
  }

  static NcDescribeResource request(String correlationId) {
    NcDescribeResourceType t = new NcDescribeResourceType();
    t.setCorrelationId(correlationId);
    t.setUserId("eucalyptus");
    NcDescribeResource r = new NcDescribeResource();
    r.setNcDescribeResource(t);
    return r;
  }

  static EucalyptusNCStub client(String target, WsSecurityKeys k, Duration ttl) throws AxisFault {
    return SoapClients.secure(new EucalyptusNCStub(SoapClients.clientContext(), target), k, Duration.ofSeconds(20), ttl);
  }

  static WsSecurityKeys clusterKeys() throws IOException {
    return WsSecurityKeys.load(keys, "cluster-pk.pem", "cluster-cert.pem", "node-cert.pem");
  }

  static void goodCallStillWorks() throws Exception {
    EucalyptusNCStub stub = client(url, clusterKeys(), SecurityPolicies.TIMESTAMP_TTL);
    NcDescribeResourceResponseType r = stub.ncDescribeResource(request("good")).getNcDescribeResourceResponse();
    assertEquals(4096, r.getMemorySizeMax());
    assertEquals("good", r.getCorrelationId());
    assertEquals(Pem.readCertificate(keys.resolve("node-cert.pem")), SoapClients.lastReplySigner(stub),
        "the reply is signed by the node's certificate");
  }

  /** Sends a genuinely signed request to a recorder instead of the node, and returns its bytes. */
  static String captureSigned(String correlationId, Duration ttl) throws Exception {
    AtomicReference<byte[]> body = new AtomicReference<>();
    HttpServer recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    recorder.createContext("/", ex -> {
      body.set(ex.getRequestBody().readAllBytes());
      ex.sendResponseHeaders(503, -1);
      ex.close();
    });
    recorder.start();
    try {
      EucalyptusNCStub stub = client("http://127.0.0.1:" + recorder.getAddress().getPort() + "/axis2/services/EucalyptusNC",
          clusterKeys(), ttl);
      assertThrows(Exception.class, () -> stub.ncDescribeResource(request(correlationId)));
    } finally {
      recorder.stop(0);
    }
    String xml = new String(body.get(), StandardCharsets.UTF_8);
    assertTrue(xml.contains("Security") && xml.contains("Signature") && xml.contains("Timestamp"), xml);
    return xml;
  }

  static HttpResponse<String> post(String xml) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/xml; charset=UTF-8")
        .header("SOAPAction", "\"EucalyptusNC#ncDescribeResource\"")
        .POST(HttpRequest.BodyPublishers.ofString(xml)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static void assertRefused(HttpResponse<String> r, String what) {
    assertEquals(500, r.statusCode(), what + ": " + r.body());
    assertTrue(r.body().contains("Fault"), what + " gets a SOAP fault: " + r.body());
  }

  @Test
  void signedCallSucceedsAndTheReplyIsSignedByTheNode() throws Exception {
    goodCallStillWorks();
  }

  @Test
  void capturedSignedMessageIsAcceptedOnceAndItsReplayRefused() throws Exception {
    String signed = captureSigned("once", SecurityPolicies.TIMESTAMP_TTL);
    HttpResponse<String> first = post(signed);
    assertEquals(200, first.statusCode(), first.body());
    assertRefused(post(signed), "replayed message");
    assertTrue(post(signed).body().contains("replayed"));
    goodCallStillWorks();
  }

  @Test
  void tamperedBodyIsRefused() throws Exception {
    String signed = captureSigned("tamper-me", SecurityPolicies.TIMESTAMP_TTL);
    assertRefused(post(signed.replace("tamper-me", "tampered!")), "tampered body");
    goodCallStillWorks();
  }

  @Test
  void unsignedMessageIsRefused() throws Exception {
    EucalyptusNCStub unsigned = client(url, null, SecurityPolicies.TIMESTAMP_TTL);
    AxisFault f = assertThrows(AxisFault.class, () -> unsigned.ncDescribeResource(request("unsigned")));
    assertTrue(f.getMessage().contains("Security"), f.getMessage());
    goodCallStillWorks();
  }

  @Test
  void expiredMessageIsRefused() throws Exception {
    String signed = captureSigned("expired", Duration.ofSeconds(1));
    Thread.sleep(3500);
    HttpResponse<String> r = post(signed);
    assertRefused(r, "expired message");
    assertTrue(r.body().contains("The timestamp could not be validated"), r.body());
    goodCallStillWorks();
  }

  @Test
  void messageSignedByAnotherCertificateOfTheSameCaIsRefused() throws Exception {
    WsSecurityKeys mallory = new WsSecurityKeys(intruder.keyPair().getPrivate(), intruder.certificate(),
        java.util.List.of(Pem.readCertificate(keys.resolve("node-cert.pem"))));
    EucalyptusNCStub stub = client(url, mallory, SecurityPolicies.TIMESTAMP_TTL);
    AxisFault f = assertThrows(AxisFault.class, () -> stub.ncDescribeResource(request("mallory")));
    // refused by WSS4J (not in the node's trust store) before SignedMessageGuard even looks
    assertTrue(f.getMessage().contains("could not be authenticated") || f.getMessage().contains("untrusted"), f.getMessage());
    goodCallStillWorks();
  }
}
