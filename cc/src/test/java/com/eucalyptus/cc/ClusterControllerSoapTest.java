package com.eucalyptus.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.runtime.soap.KeySource;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.runtime.soap.SoapServer;
import com.eucalyptus.runtime.soap.WsSecurityKeys;
import com.eucalyptus.wsdl.cc.EucalyptusCCStub;
import com.eucalyptus.wsdl.cc.types.DescribeResources;
import com.eucalyptus.wsdl.cc.types.DescribeResourcesResponseType;
import com.eucalyptus.wsdl.cc.types.DescribeResourcesType;
import com.eucalyptus.wsdl.cc.types.ResourceType;
import com.eucalyptus.wsdl.cc.types.VirtualMachineType;
import com.eucalyptus.wsdl.gl.EucalyptusGLStub;
import com.eucalyptus.wsdl.gl.types.GetKeys;
import com.eucalyptus.wsdl.gl.types.GetKeysResponseType;
import com.eucalyptus.wsdl.gl.types.GetKeysType;
import com.eucalyptus.wsdl.nc.EucalyptusNCMessageReceiverInOut;
import com.eucalyptus.wsdl.nc.EucalyptusNCSkeletonInterface;
import com.eucalyptus.wsdl.nc.EucalyptusNCStub;
import com.eucalyptus.wsdl.nc.types.NcDescribeResourceResponse;
import com.eucalyptus.wsdl.nc.types.NcDescribeResourceResponseType;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.apache.axis2.AxisFault;
import org.apache.axis2.context.MessageContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real CC service, signed, in front of a stand-in node (the CC module may not use the NC's
 * code: the stand-in is a signed EucalyptusNC endpoint with fixed numbers). The real NC is
 * driven end to end by itests.
 */
class ClusterControllerSoapTest {
  static Path home;
  static SoapServer node;
  static ClusterControllerMain.Running cc;
  static String ccBase;

  @BeforeAll
  static void start() throws Exception {
    home = Files.createTempDirectory("euca-cc-test");
    EucaPaths paths = EucaPaths.at(home);
    paths.ensureVarDirs();
    Path keys = paths.keysDir();
    CertificateAuthority.Issued cloud = CertificateAuthority.newSelfSigned("CN=cloud, OU=Eucalyptus, O=Cloud, C=US");
    CertificateAuthority ca = new CertificateAuthority(cloud.certificate(), cloud.keyPair().getPrivate());
    Pem.writeCertificate(keys.resolve("cloud-cert.pem"), cloud.certificate());
    Pem.writePrivateKey(keys.resolve("cloud-pk.pem"), cloud.keyPair().getPrivate());
    for (String who : new String[] {"cluster", "node"}) {
      CertificateAuthority.Issued i = ca.issue("CN=" + who + ", OU=Eucalyptus, O=Cloud, C=US");
      Pem.writeCertificate(keys.resolve(who + "-cert.pem"), i.certificate());
      Pem.writePrivateKey(keys.resolve(who + "-pk.pem"), i.keyPair().getPrivate());
    }
    int nodePort = freePort();
    node = new SoapServer(nodePort, KeySource.files(keys, "node-pk.pem", "node-cert.pem", "cluster-cert.pem"));
    node.addService(EucalyptusNCStub.class.getResourceAsStream("/wsdl/eucalyptus_nc.wsdl"), "EucalyptusNC",
        new EucalyptusNCMessageReceiverInOut() {
          @Override
          protected Object getTheImplementationObject(MessageContext mc) {
            return standInNode();
          }
        });
    node.start();
    int ccPort = freePort();
    cc = ClusterControllerMain.start(paths, EucalyptusConf.of(Map.of("CC_PORT", String.valueOf(ccPort),
        "NODES", "127.0.0.1:" + nodePort, "ENABLE_WS_SECURITY", "Y")));
    ccBase = "http://127.0.0.1:" + ccPort + "/axis2/services/";
  }

  @AfterAll
  static void stop() {
    cc.stop();
    node.stop();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** 2048 MB (1024 free), 40 GB, 4 cores (2 free). */
  static EucalyptusNCSkeletonInterface standInNode() {
    return (EucalyptusNCSkeletonInterface) java.lang.reflect.Proxy.newProxyInstance(
        ClusterControllerSoapTest.class.getClassLoader(), new Class<?>[] {EucalyptusNCSkeletonInterface.class},
        (proxy, method, args) -> {
          NcDescribeResourceResponseType t = new NcDescribeResourceResponseType();
          t.set_return(true);
          t.setMemorySizeMax(2048);
          t.setMemorySizeAvailable(1024);
          t.setDiskSizeMax(40);
          t.setDiskSizeAvailable(40);
          t.setNumberOfCoresMax(4);
          t.setNumberOfCoresAvailable(2);
          NcDescribeResourceResponse r = new NcDescribeResourceResponse();
          r.setNcDescribeResourceResponse(t);
          return r;
        });
  }

  static WsSecurityKeys clcKeys() throws IOException {
    return WsSecurityKeys.load(EucaPaths.at(home).keysDir(), "cloud-pk.pem", "cloud-cert.pem", "cluster-cert.pem");
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

  @Test
  void describeResourcesCountsWhatTheNodeReportsAndTheReplyIsSignedByTheCluster() throws Exception {
    EucalyptusCCStub stub = SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(), ccBase + "EucalyptusCC"),
        clcKeys(), Duration.ofSeconds(30));
    DescribeResourcesResponseType r = stub.describeResources(describeResources()).getDescribeResourcesResponse();
    ResourceType[] res = r.getResources();
    assertEquals(3, res.length);
    // small: max min(2048/128, 40/2, 4/1) = 4, available min(1024/128, 40/2, 2/1) = 2
    assertEquals(4, res[0].getMaxInstances());
    assertEquals(2, res[0].getAvailableInstances());
    // large: max min(4, 4, 2) = 2, available min(2, 4, 1) = 1
    assertEquals(2, res[1].getMaxInstances());
    assertEquals(1, res[1].getAvailableInstances());
    // c1.xlarge: max min(1, 2, 1) = 1, available min(0, 2, 0) = 0
    assertEquals(1, res[2].getMaxInstances());
    assertEquals(0, res[2].getAvailableInstances());
    assertEquals(1, r.getServiceTags().length);
    assertEquals(Pem.readCertificate(EucaPaths.at(home).keysDir().resolve("cluster-cert.pem")),
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
    GetKeysResponseType keys = gl.getKeys(req).getGetKeysResponse();
    Path dir = EucaPaths.at(home).keysDir();
    assertEquals(Pem.readCertificate(dir.resolve("node-cert.pem")),
        Pem.parseCertificate(new String(Base64.getDecoder().decode(keys.getNCcert()), StandardCharsets.US_ASCII)));
    assertEquals(Pem.readCertificate(dir.resolve("cluster-cert.pem")),
        Pem.parseCertificate(new String(Base64.getDecoder().decode(keys.getCCcert()), StandardCharsets.US_ASCII)));
  }

  @Test
  void unsignedAndWronglySignedCallsAreRefusedAndTheCcKeepsServing() throws Exception {
    EucalyptusCCStub unsigned = SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(), ccBase + "EucalyptusCC"),
        null, Duration.ofSeconds(30));
    assertThrows(AxisFault.class, () -> unsigned.describeResources(describeResources()));
    // the node's key is a real cloud-issued key, but not the CLC's
    WsSecurityKeys nodeKeys = WsSecurityKeys.load(EucaPaths.at(home).keysDir(), "node-pk.pem", "node-cert.pem", "cluster-cert.pem");
    EucalyptusCCStub wrong = SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(), ccBase + "EucalyptusCC"),
        nodeKeys, Duration.ofSeconds(30));
    // refused; the refusal is an unsigned fault, which the signing client reports as such
    assertThrows(AxisFault.class, () -> wrong.describeResources(describeResources()));
    describeResourcesCountsWhatTheNodeReportsAndTheReplyIsSignedByTheCluster();
  }
}
