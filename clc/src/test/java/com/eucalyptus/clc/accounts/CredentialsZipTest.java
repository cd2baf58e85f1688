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
      assertEquals(5, entries.size(), entries.keySet().toString());
      String certName = entries.keySet().stream().filter(n -> n.endsWith("-cert.pem") && n.startsWith("euca2-bob-"))
          .findFirst().orElseThrow();
      assertTrue(certName.matches("euca2-bob-[0-9a-f]{8}-cert\\.pem"), certName);
      assertTrue(entries.containsKey(certName.replace("-cert.pem", "-pk.pem")));
      X509Certificate cert = Pem.parseCertificate(entries.get(certName));
      cert.verify(cloud.certificate().getPublicKey());
      assertTrue(cert.getSubjectX500Principal().getName().contains("O=bob"), cert.getSubjectX500Principal().getName());
      String rc = entries.get("eucarc");
      assertEquals(rc, entries.get("euca2rc"));
      assertTrue(rc.contains("export S3_URL=http://cloud.example:8773/services/Walrus\nexport EC2_URL=http://cloud.example:8773/services/Eucalyptus\n"), rc);
      assertTrue(rc.contains("export EC2_ACCESS_KEY='" + bob.accessKey() + "'"), rc);
      assertTrue(rc.contains("--user " + CredentialsZip.userNumber("bob")), rc);
      assertEquals(Pem.toPem(cloud.certificate()), entries.get("cloud-cert.pem"));
      long recorded = db.tx(s -> s.createQuery("select count(c) from CertificateEntity c where c.userName = 'bob'", Long.class)
          .getSingleResult());
      assertEquals(1, recorded, "the issued certificate is kept with the user's");
    }
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
