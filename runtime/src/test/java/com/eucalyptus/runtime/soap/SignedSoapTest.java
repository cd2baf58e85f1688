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
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.axis2.AxisFault;
import org.apache.axis2.context.MessageContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The signed CC→NC hop over real HTTP with the real generated bindings: a good call, and every
 * kind of message the receiver must refuse (with a SOAP fault and one log line saying why, and
 * still serving afterwards).
 */
class SignedSoapTest {
  static Path keys;
  static SoapServer server;
  /** Trusts the cloud CA's own certificate as its peer (as the CC does with cloud-cert.pem). */
  static SoapServer trustsCaCert;
  static String url;
  static String caPeerUrl;
  static CertificateAuthority.Issued intruder;
  static LogCapture faults;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    keys = Files.createTempDirectory("euca-soap-test");
    CertificateAuthority.Issued cloud = CertificateAuthority.newSelfSigned("CN=cloud, OU=Eucalyptus, O=Cloud, C=US");
    CertificateAuthority ca = new CertificateAuthority(cloud.certificate(), cloud.keyPair().getPrivate());
    write("cluster", ca.issue("CN=cluster, OU=Eucalyptus, O=Cloud, C=US"));
    write("node", ca.issue("CN=node, OU=Eucalyptus, O=Cloud, C=US"));
    write("cloud", cloud);
    // a certificate from the same CA, as every user holds one: it must not be able to talk to a node
    intruder = ca.issue("CN=www.eucalyptus.com, OU=Eucalyptus, O=mallory, C=US");
    faults = new LogCapture(FaultLogger.class);

    int port = freePort();
    // a one-second clock-skew allowance so that an expired message can be shown without a long wait
    server = new SoapServer(port, KeySource.files(keys, "node-pk.pem", "node-cert.pem", "cluster-cert.pem"), Duration.ofSeconds(1));
    server.addService(ncWsdl(), "EucalyptusNC", receiver()).start();
    url = "http://127.0.0.1:" + port + "/axis2/services/EucalyptusNC";
    int caPort = freePort();
    trustsCaCert = new SoapServer(caPort, KeySource.files(keys, "cluster-pk.pem", "cluster-cert.pem", "cloud-cert.pem"));
    trustsCaCert.addService(ncWsdl(), "EucalyptusNC", receiver()).start();
    caPeerUrl = "http://127.0.0.1:" + caPort + "/axis2/services/EucalyptusNC";
  }

  @AfterAll
  static void stop() {
    server.stop();
    trustsCaCert.stop();
    faults.close();
  }

  @BeforeEach
  void clearLog() {
    faults.clear();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static java.io.InputStream ncWsdl() {
    return EucalyptusNCStub.class.getResourceAsStream("/wsdl/eucalyptus_nc.wsdl");
  }

  static EucalyptusNCMessageReceiverInOut receiver() {
    return new EucalyptusNCMessageReceiverInOut() {
      @Override
      protected Object getTheImplementationObject(MessageContext mc) {
        return fakeNode();
      }
    };
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

  static HttpResponse<String> post(String target, String xml) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(target)).header("Content-Type", "text/xml; charset=UTF-8")
        .header("SOAPAction", "\"EucalyptusNC#ncDescribeResource\"")
        .POST(HttpRequest.BodyPublishers.ofString(xml)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static void assertRefused(HttpResponse<String> r, String what, String reason) {
    assertEquals(500, r.statusCode(), what + ": " + r.body());
    assertTrue(r.body().contains("Fault"), what + " gets a SOAP fault: " + r.body());
    assertTrue(r.body().contains(reason), what + " fault says why (" + reason + "): " + r.body());
  }

  /** Exactly one log line was written about the refusal, and it has the reason. */
  static void assertLoggedOnce(String reason) {
    List<String> lines = faults.lines();
    assertEquals(1, lines.size(), "one log line per refusal: " + lines);
    assertTrue(lines.get(0).startsWith("WARN") && lines.get(0).contains(reason), lines.get(0));
    faults.clear();
  }

  @Test
  void signedCallSucceedsAndTheReplyIsSignedByTheNode() throws Exception {
    goodCallStillWorks();
    goodCallStillWorks();
    assertEquals(List.of(), faults.lines());
  }

  @Test
  void capturedSignedMessageIsAcceptedOnceAndItsReplayRefused() throws Exception {
    String signed = captureSigned("once", SecurityPolicies.TIMESTAMP_TTL);
    HttpResponse<String> first = post(url, signed);
    assertEquals(200, first.statusCode(), first.body());
    assertRefused(post(url, signed), "replayed message", "replayed message");
    assertLoggedOnce("replayed message");
    assertRefused(post(url, signed), "replayed again", "replayed message");
    assertLoggedOnce("replayed message");
    goodCallStillWorks();
  }

  @Test
  void tamperedBodyIsRefused() throws Exception {
    String signed = captureSigned("tamper-me", SecurityPolicies.TIMESTAMP_TTL);
    assertRefused(post(url, signed.replace("tamper-me", "tampered!")), "tampered body", "The signature or decryption was invalid");
    assertLoggedOnce("The signature or decryption was invalid");
    goodCallStillWorks();
  }

  @Test
  void unsignedMessageIsRefused() throws Exception {
    EucalyptusNCStub unsigned = client(url, null, SecurityPolicies.TIMESTAMP_TTL);
    AxisFault f = assertThrows(AxisFault.class, () -> unsigned.ncDescribeResource(request("unsigned")));
    assertTrue(f.getMessage().contains("Missing wsse:Security header"), f.getMessage());
    assertLoggedOnce("Missing wsse:Security header");
    goodCallStillWorks();
  }

  @Test
  void expiredMessageIsRefused() throws Exception {
    String signed = captureSigned("expired", Duration.ofSeconds(1));
    Thread.sleep(3500);
    assertRefused(post(url, signed), "expired message", "The timestamp could not be validated");
    assertLoggedOnce("The timestamp could not be validated");
    goodCallStillWorks();
  }

  @Test
  void messageSignedByAnotherCertificateOfTheSameCaIsRefused() throws Exception {
    WsSecurityKeys mallory = new WsSecurityKeys(intruder.keyPair().getPrivate(), intruder.certificate(),
        List.of(Pem.readCertificate(keys.resolve("node-cert.pem"))));
    AxisFault f = assertThrows(AxisFault.class,
        () -> client(url, mallory, SecurityPolicies.TIMESTAMP_TTL).ncDescribeResource(request("mallory")));
    // the node trusts cluster-cert.pem only, so WSS4J already refuses; the client sees the node's reason
    assertTrue(f.getMessage().contains("could not be authenticated"), f.getMessage());
    assertLoggedOnce("could not be authenticated");
    goodCallStillWorks();
  }

  @Test
  void aPeerThatIsTheCaDoesNotMakeEveryCertificateItIssuedTrusted() throws Exception {
    // this endpoint trusts cloud-cert.pem, the CA certificate itself: WSS4J accepts what it issued,
    // the exact-signer check must not
    Path intruderDir = Files.createTempDirectory(keys.getParent(), "mallory");
    WsSecurityKeys mallory = new WsSecurityKeys(intruder.keyPair().getPrivate(), intruder.certificate(),
        List.of(Pem.readCertificate(keys.resolve("cluster-cert.pem"))));
    AxisFault f = assertThrows(AxisFault.class,
        () -> client(caPeerUrl, mallory, SecurityPolicies.TIMESTAMP_TTL).ncDescribeResource(request("mallory")));
    assertTrue(f.getMessage().contains("not a trusted peer"), f.getMessage());
    assertLoggedOnce("not a trusted peer");
    WsSecurityKeys clc = WsSecurityKeys.load(keys, "cloud-pk.pem", "cloud-cert.pem", "cluster-cert.pem");
    NcDescribeResourceResponseType ok = client(caPeerUrl, clc, SecurityPolicies.TIMESTAMP_TTL)
        .ncDescribeResource(request("cloud")).getNcDescribeResourceResponse();
    assertEquals("cloud", ok.getCorrelationId());
    Files.delete(intruderDir);
  }

  @Test
  void aDaemonStartedBeforeItsKeysExistRefusesCallsUntilTheyAppear() throws Exception {
    Path empty = Files.createTempDirectory("euca-soap-nokeys");
    int port = freePort();
    SoapServer early = new SoapServer(port, KeySource.files(empty, "node-pk.pem", "node-cert.pem", "cluster-cert.pem"));
    try (LogCapture startLog = new LogCapture(SoapServer.class)) {
      early.addService(ncWsdl(), "EucalyptusNC", receiver()).start();
      assertTrue(startLog.lines().stream().anyMatch(l -> l.startsWith("ERROR") && l.contains("node-pk.pem")),
          startLog.lines().toString());
    }
    String earlyUrl = "http://127.0.0.1:" + port + "/axis2/services/EucalyptusNC";
    try {
      AxisFault f = assertThrows(AxisFault.class,
          () -> client(earlyUrl, clusterKeys(), SecurityPolicies.TIMESTAMP_TTL).ncDescribeResource(request("early")));
      assertTrue(f.getMessage().contains("keys are not available") && f.getMessage().contains("node-pk.pem"), f.getMessage());
      assertLoggedOnce("keys are not available");
      for (String file : new String[] {"node-pk.pem", "node-cert.pem", "cluster-cert.pem"}) {
        Files.copy(keys.resolve(file), empty.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
      EucalyptusNCStub stub = client(earlyUrl, clusterKeys(), SecurityPolicies.TIMESTAMP_TTL);
      assertEquals("late", stub.ncDescribeResource(request("late")).getNcDescribeResourceResponse().getCorrelationId());
      assertEquals(Pem.readCertificate(keys.resolve("node-cert.pem")), SoapClients.lastReplySigner(stub));
    } finally {
      early.stop();
    }
  }

  @Test
  void aVersion1CertificateIsReportedAsSuchNotAsAnObscureSigningError() throws Exception {
    Path v1 = Files.createTempDirectory("euca-soap-v1");
    KeyPair kp = CertificateAuthority.newKeyPair();
    X500Name name = new X500Name("CN=node-v1");
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v1CertificateBuilder(name,
        BigInteger.TEN, new Date(System.currentTimeMillis() - 86_400_000L), new Date(System.currentTimeMillis() + 86_400_000L),
        name, kp.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
    Pem.writeCertificate(v1.resolve("node-cert.pem"), cert);
    Pem.writePrivateKey(v1.resolve("node-pk.pem"), kp.getPrivate());
    Files.copy(keys.resolve("cluster-cert.pem"), v1.resolve("cluster-cert.pem"));
    IOException e = assertThrows(IOException.class, () -> WsSecurityKeys.load(v1, "node-pk.pem", "node-cert.pem", "cluster-cert.pem"));
    assertTrue(e.getMessage().contains("X.509 v1"), e.getMessage());
    int port = freePort();
    SoapServer s = new SoapServer(port, KeySource.files(v1, "node-pk.pem", "node-cert.pem", "cluster-cert.pem"));
    s.addService(ncWsdl(), "EucalyptusNC", receiver()).start();
    try {
      AxisFault f = assertThrows(AxisFault.class, () -> client("http://127.0.0.1:" + port + "/axis2/services/EucalyptusNC",
          clusterKeys(), SecurityPolicies.TIMESTAMP_TTL).ncDescribeResource(request("v1")));
      assertTrue(f.getMessage().contains("X.509 v1"), f.getMessage());
      assertLoggedOnce("X.509 v1");
    } finally {
      s.stop();
    }
  }

  @Test
  void withSecurityOffPlainCallsWork() throws Exception {
    int port = freePort();
    SoapServer plain = new SoapServer(port, null);
    plain.addService(ncWsdl(), "EucalyptusNC", receiver()).start();
    try {
      EucalyptusNCStub stub = client("http://127.0.0.1:" + port + "/axis2/services/EucalyptusNC", null,
          SecurityPolicies.TIMESTAMP_TTL);
      assertEquals("plain", stub.ncDescribeResource(request("plain")).getNcDescribeResourceResponse().getCorrelationId());
      assertEquals(null, SoapClients.lastReplySigner(stub));
    } finally {
      plain.stop();
    }
  }

  @Test
  void theClientApiCanBeUsedInALoop() throws Exception {
    EucalyptusNCStub stub = client(url, clusterKeys(), SecurityPolicies.TIMESTAMP_TTL);
    for (int i = 0; i < 20; i++) {
      assertEquals("loop" + i, stub.ncDescribeResource(request("loop" + i)).getNcDescribeResourceResponse().getCorrelationId());
    }
    for (int i = 0; i < 5; i++) {
      // a fresh stub and freshly loaded keys per call, as some callers do
      assertEquals(4096, client(url, clusterKeys(), SecurityPolicies.TIMESTAMP_TTL).ncDescribeResource(request("n"))
          .getNcDescribeResourceResponse().getMemorySizeMax());
    }
    assertEquals(List.of(), faults.lines());
  }
}
