package com.eucalyptus.runtime.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  @TempDir
  Path dir;

  @Test
  void issuedCertificatesChainToTheCaAndSurvivePemFiles() throws Exception {
    CertificateAuthority.Issued ca = CertificateAuthority.newSelfSigned("CN=www.eucalyptus.com, OU=Eucalyptus, O=Cloud, C=US");
    CertificateAuthority authority = new CertificateAuthority(ca.certificate(), ca.keyPair().getPrivate());
    CertificateAuthority.Issued node = authority.issue("CN=node, OU=Eucalyptus, O=Cloud, C=US");
    node.certificate().verify(ca.certificate().getPublicKey());

    Pem.writeCertificate(dir.resolve("node-cert.pem"), node.certificate());
    Pem.writePrivateKey(dir.resolve("node-pk.pem"), node.keyPair().getPrivate());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node-pk.pem"))));

    X509Certificate cert = Pem.readCertificate(dir.resolve("node-cert.pem"));
    assertEquals(node.certificate(), cert);
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(Pem.readPrivateKey(dir.resolve("node-pk.pem")));
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    s.initVerify(cert);
    s.update(new byte[] {1, 2, 3});
    assertEquals(true, s.verify(sig));
  }

  @Test
  void serverCertificatesNameTheirAddressesAsSubjectAltNames() throws Exception {
    CertificateAuthority.Issued ca = CertificateAuthority.newSelfSigned("CN=www.eucalyptus.com, OU=Eucalyptus, O=Cloud, C=US");
    CertificateAuthority authority = new CertificateAuthority(ca.certificate(), ca.keyPair().getPrivate());
    X509Certificate cert = authority.issue("CN=storage, OU=Eucalyptus, O=Cloud, C=US",
        java.util.List.of("192.0.2.7", "fd00::7", "storage.example.com")).certificate();
    cert.verify(ca.certificate().getPublicKey());
    // 7 = iPAddress, 2 = dNSName (RFC 5280); the JDK prints IPv6 in full form
    assertEquals(java.util.List.of(java.util.List.of(7, "192.0.2.7"), java.util.List.of(7, "fd00:0:0:0:0:0:0:7"),
        java.util.List.of(2, "storage.example.com")), cert.getSubjectAlternativeNames().stream().map(java.util.List::copyOf).toList());
    assertEquals(null, authority.issue("CN=node, OU=Eucalyptus, O=Cloud, C=US").certificate().getSubjectAlternativeNames());
  }

  @Test
  void readsOpensslPkcs1Keys() throws Exception {
    Path key = dir.resolve("k.pem");
    Process p = new ProcessBuilder("openssl", "genrsa", "-traditional", "-out", key.toString(), "1024").start();
    if (p.waitFor() != 0) {
      // older openssl has no -traditional and writes PKCS#1 by default
      new ProcessBuilder("openssl", "genrsa", "-out", key.toString(), "1024").start().waitFor();
    }
    assertEquals("RSA", Pem.readPrivateKey(key).getAlgorithm());
  }

  @Test
  void garbageIsRefused() throws Exception {
    Path f = dir.resolve("bad.pem");
    Files.writeString(f, "not a pem");
    assertThrows(java.io.IOException.class, () -> Pem.readCertificate(f));
  }
}
