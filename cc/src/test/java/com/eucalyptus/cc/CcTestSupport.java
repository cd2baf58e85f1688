package com.eucalyptus.cc;

import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.runtime.soap.KeySource;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.runtime.soap.SoapServer;
import com.eucalyptus.runtime.soap.WsSecurityKeys;
import com.eucalyptus.wsdl.cc.EucalyptusCCStub;
import com.eucalyptus.wsdl.nc.EucalyptusNCMessageReceiverInOut;
import com.eucalyptus.wsdl.nc.EucalyptusNCStub;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.axis2.context.MessageContext;

/**
 * The signed set-up the CC's SOAP tests share: a fresh home with the keys euca_conf would have
 * put there (a cloud CA and the cluster's and a node's certificates issued by it), and signed
 * stand-in nodes serving the NC's WSDL with those keys, and the CLC's signed client of the CC.
 */
final class CcTestSupport {
  private CcTestSupport() {}

  /** The layout at {@code home}, its var folders made and its keys written. */
  static EucaPaths signedHome(Path home) throws Exception {
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
    return paths;
  }

  /**
   * The eucalyptus.conf of a CC on {@code ccPort} in front of {@code nodes} in VNET_MODE {@code
   * mode}: the interface eth0, dhcpd /bin/true (its configuration file is what is checked), the
   * private subnet 10.1.0.0/24 in networks of 32 and two public addresses. Mutable, for the
   * test's own keys.
   */
  static Map<String, String> vnetConf(int ccPort, String nodes, String mode) {
    Map<String, String> conf = new HashMap<>();
    conf.put("CC_PORT", String.valueOf(ccPort));
    conf.put("NODES", nodes);
    conf.put("NC_POLLING_FREQUENCY", "1");
    conf.put("VNET_MODE", mode);
    conf.put("VNET_INTERFACE", "eth0");
    conf.put("VNET_DHCPDAEMON", "/bin/true");
    conf.put("VNET_SUBNET", "10.1.0.0");
    conf.put("VNET_NETMASK", "255.255.255.0");
    conf.put("VNET_DNS", "10.0.0.53");
    conf.put("VNET_ADDRSPERNET", "32");
    conf.put("VNET_PUBLICIPS", "192.0.2.10-192.0.2.11");
    return conf;
  }

  /** A client of the CC service under {@code base}, signing as the CLC does (the cloud keys of {@code keys}). */
  static EucalyptusCCStub signedCc(Path keys, String base) throws IOException {
    return SoapClients.secure(new EucalyptusCCStub(SoapClients.clientContext(), base + "EucalyptusCC"),
        WsSecurityKeys.load(keys, "cloud-pk.pem", "cloud-cert.pem", "cluster-cert.pem"), Duration.ofSeconds(60));
  }

  /** Serves {@code nc} on {@code port}, signed with the node keys of {@code keys}; started. */
  static SoapServer startNode(Path keys, int port, StandInNc nc) throws Exception {
    SoapServer node = new SoapServer(port, KeySource.files(keys, "node-pk.pem", "node-cert.pem", "cluster-cert.pem"));
    node.addService(EucalyptusNCStub.class.getResourceAsStream("/wsdl/eucalyptus_nc.wsdl"), "EucalyptusNC",
        new EucalyptusNCMessageReceiverInOut() {
          @Override
          protected Object getTheImplementationObject(MessageContext mc) {
            return nc;
          }
        });
    node.start();
    return node;
  }
}
