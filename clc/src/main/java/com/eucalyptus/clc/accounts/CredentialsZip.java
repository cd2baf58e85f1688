package com.eucalyptus.clc.accounts;

import com.eucalyptus.clc.persistence.CertificateEntity;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.zip.Adler32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A user's credentials zip, {@code euca2-<user>-x509.zip}, as 1.5.2's X509Download made it: a new
 * key pair with a certificate from the cloud CA (recorded among the user's certificates), the
 * cloud's certificate, and eucarc (also as euca2rc, the name the user's guide uses).
 */
public final class CredentialsZip {
  private final Database db;
  private final CertificateAuthority ca;

  public CredentialsZip(Database db, CertificateAuthority ca) {
    this.db = db;
    this.ca = ca;
  }

  public static String fileName(String user) {
    return "euca2-" + user + "-x509.zip";
  }

  /** @param baseUrl e.g. http://host:8773 — S3_URL and EC2_URL are made from it */
  public byte[] make(Accounts.User user, String baseUrl) throws IOException {
    CertificateAuthority.Issued issued = ca.issue("CN=www.eucalyptus.com, OU=Eucalyptus, O=" + user.name()
        + ", L=Santa Barbara, ST=CA, C=US");
    CertificateEntity row = new CertificateEntity();
    row.serial = issued.certificate().getSerialNumber().toString(16);
    row.userName = user.name();
    row.pem = Pem.toPem(issued.certificate());
    row.issuedMillis = System.currentTimeMillis();
    db.tx(s -> {
      s.persist(row);
      return null;
    });
    String prefix = "euca2-" + user.name() + "-" + fingerprint8(issued.keyPair().getPublic());
    String rc = eucarc(user, baseUrl, prefix);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(buf)) {
      entry(zip, "eucarc", rc);
      entry(zip, "euca2rc", rc);
      entry(zip, "cloud-cert.pem", Pem.toPem(ca.certificate()));
      entry(zip, prefix + "-pk.pem", Pem.toPem(issued.keyPair().getPrivate()));
      entry(zip, prefix + "-cert.pem", row.pem);
    }
    return buf.toByteArray();
  }

  /**
   * First 8 hex digits (lower case, no colons) of the public key's fingerprint; we take the SHA-1
   * of the DER-encoded public key, which is what the original's Hashes.getFingerPrint digested.
   */
  static String fingerprint8(PublicKey key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(key.getEncoded())).substring(0, 8);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** userNumber as 1.5.2 printed it for ec2-bundle-image --user: %012d of Adler32(user name). */
  static String userNumber(String name) {
    Adler32 a = new Adler32();
    a.update(name.getBytes(StandardCharsets.UTF_8));
    return String.format("%012d", a.getValue());
  }

  static String eucarc(Accounts.User user, String baseUrl, String prefix) {
    return "EUCA_KEY_DIR=$(dirname $(readlink -f ${BASH_SOURCE}))\n"
        + "export S3_URL=" + baseUrl + "/services/Walrus\n"
        + "export EC2_URL=" + baseUrl + "/services/Eucalyptus\n"
        + "export EC2_PRIVATE_KEY=${EUCA_KEY_DIR}/" + prefix + "-pk.pem\n"
        + "export EC2_CERT=${EUCA_KEY_DIR}/" + prefix + "-cert.pem\n"
        + "export EUCALYPTUS_CERT=${EUCA_KEY_DIR}/cloud-cert.pem\n"
        + "export EC2_ACCESS_KEY='" + user.accessKey() + "'\n"
        + "export EC2_SECRET_KEY='" + user.secretKey() + "'\n"
        + "alias ec2-bundle-image=\"ec2-bundle-image --cert ${EC2_CERT} --privatekey ${EC2_PRIVATE_KEY} --user "
        + userNumber(user.name()) + " --ec2cert ${EUCALYPTUS_CERT}\"\n"
        + "alias ec2-upload-bundle=\"ec2-upload-bundle -a ${EC2_ACCESS_KEY} -s ${EC2_SECRET_KEY} --url ${S3_URL} "
        + "--ec2cert ${EUCALYPTUS_CERT}\"\n";
  }

  private static void entry(ZipOutputStream zip, String name, String content) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(content.getBytes(StandardCharsets.US_ASCII));
    zip.closeEntry();
  }
}
