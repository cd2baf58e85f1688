package com.eucalyptus.clc.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.TestDatabases;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsZipTest {
  @TempDir
  Path home;

  @Test
  void zipHoldsEucarcTheCloudCertAndANewCaIssuedKeyPair() throws Exception {
    try (Database db = TestDatabases.fileDatabase(home)) {
      Accounts accounts = new Accounts(db);
      Accounts.User bob = accounts.add("bob", "", false, null).orElseThrow();
      CertificateAuthority.Issued cloud = CertificateAuthority.newSelfSigned("CN=cloud");
      CertificateAuthority ca = new CertificateAuthority(cloud.certificate(), cloud.keyPair().getPrivate());
      byte[] zip = new CredentialsZip(db, ca).make(bob, "http://cloud.example:8773");

      Map<String, String> entries = new LinkedHashMap<>();
      try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
        for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
          entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
      }
      String certName = entries.keySet().stream().filter(n -> n.endsWith("-cert.pem") && n.startsWith("euca2-bob-"))
          .findFirst().orElseThrow();
      assertTrue(certName.matches("euca2-bob-[0-9a-f]{8}-cert\\.pem"), certName);
      String prefix = certName.substring(0, certName.length() - "-cert.pem".length());
      // shared/reference §4: eucarc, cloud-cert.pem, the key and the certificate (and euca2rc, the
      // name the 1.5.2 user's guide sources; see docs/console.md)
      assertEquals(java.util.Set.of("eucarc", "euca2rc", "cloud-cert.pem", prefix + "-pk.pem", prefix + "-cert.pem"),
          entries.keySet());
      X509Certificate cert = Pem.parseCertificate(entries.get(certName));
      cert.verify(cloud.certificate().getPublicKey());
      // the DN in the order the reference writes it (CN first, as openssl shows it); RFC 2253's
      // string form lists the same sequence from the end
      assertEquals("C=US,ST=CA,L=Santa Barbara,O=bob,OU=Eucalyptus,CN=www.eucalyptus.com",
          cert.getSubjectX500Principal().getName());
      // <fp8>: the first 8 hex digits of the certificate's public key's SHA-1 fingerprint
      String fp = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
          .digest(cert.getPublicKey().getEncoded()));
      assertEquals("euca2-bob-" + fp.substring(0, 8), prefix);
      String rc = entries.get("eucarc");
      assertEquals(rc, entries.get("euca2rc"));
      // the 1.5.2 eucarc, line by line and in order (shared/reference §4); no EC2_USER_ID (1.6 only)
      assertEquals(String.join("\n",
          "EUCA_KEY_DIR=$(dirname $(readlink -f ${BASH_SOURCE}))",
          "export S3_URL=http://cloud.example:8773/services/Walrus",
          "export EC2_URL=http://cloud.example:8773/services/Eucalyptus",
          "export EC2_PRIVATE_KEY=${EUCA_KEY_DIR}/" + prefix + "-pk.pem",
          "export EC2_CERT=${EUCA_KEY_DIR}/" + prefix + "-cert.pem",
          "export EUCALYPTUS_CERT=${EUCA_KEY_DIR}/cloud-cert.pem",
          "export EC2_ACCESS_KEY='" + bob.accessKey() + "'",
          "export EC2_SECRET_KEY='" + bob.secretKey() + "'",
          "alias ec2-bundle-image=\"ec2-bundle-image --cert ${EC2_CERT} --privatekey ${EC2_PRIVATE_KEY} --user "
              + String.format("%012d", adler32("bob")) + " --ec2cert ${EUCALYPTUS_CERT}\"",
          "alias ec2-upload-bundle=\"ec2-upload-bundle -a ${EC2_ACCESS_KEY} -s ${EC2_SECRET_KEY} --url ${S3_URL}"
              + " --ec2cert ${EUCALYPTUS_CERT}\"") + "\n", rc);
      assertEquals(Pem.toPem(cloud.certificate()), entries.get("cloud-cert.pem"));
      long recorded = db.tx(s -> s.createQuery("select count(c) from CertificateEntity c where c.userName = 'bob'", Long.class)
          .getSingleResult());
      assertEquals(1, recorded, "the issued certificate is kept with the user's");
    }
  }

  private static long adler32(String s) {
    java.util.zip.Adler32 a = new java.util.zip.Adler32();
    a.update(s.getBytes(StandardCharsets.UTF_8));
    return a.getValue();
  }

  @Test
  void passwordsAreSaltedSlowHashes() {
    String h1 = PasswordHash.hash("admin");
    String h2 = PasswordHash.hash("admin");
    assertTrue(!h1.equals(h2) && h1.startsWith("pbkdf2$"));
    assertTrue(PasswordHash.matches("admin", h1));
    assertTrue(!PasswordHash.matches("Admin", h1));
  }
}
