package com.eucalyptus.clc.bootstrap;

import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The keys the front end makes, as in 1.5.2: the cloud key pair (the cloud CA) and the cluster's
 * and the node's key pairs it issues, as PEM files under var/lib/eucalyptus/keys. Files that
 * exist are kept, so a restart (or a node that already has its keys) changes nothing.
 */
public final class CloudKeys {
  private static final Logger LOG = LogManager.getLogger(CloudKeys.class);
  private static final String ORG = ", OU=Eucalyptus, O=Cloud, L=Santa Barbara, ST=CA, C=US";

  private CloudKeys() {
  }

  /** Makes whatever key files are missing, and returns the cloud CA. */
  public static CertificateAuthority ensure(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path cert = dir.resolve("cloud-cert.pem");
    Path key = dir.resolve("cloud-pk.pem");
    if (!Files.exists(cert) || !Files.exists(key)) {
      LOG.info("making the cloud key pair and CA in {}", dir);
      CertificateAuthority.Issued cloud = CertificateAuthority.newSelfSigned("CN=www.eucalyptus.com" + ORG);
      Pem.writePrivateKey(key, cloud.keyPair().getPrivate());
      Pem.writeCertificate(cert, cloud.certificate());
    }
    CertificateAuthority ca = new CertificateAuthority(Pem.readCertificate(cert), Pem.readPrivateKey(key));
    for (String who : new String[] {"cluster", "node"}) {
      Path c = dir.resolve(who + "-cert.pem");
      Path k = dir.resolve(who + "-pk.pem");
      if (!Files.exists(c) || !Files.exists(k)) {
        LOG.info("making the {} key pair", who);
        CertificateAuthority.Issued issued = ca.issue("CN=" + who + ORG);
        Pem.writePrivateKey(k, issued.keyPair().getPrivate());
        Pem.writeCertificate(c, issued.certificate());
      }
    }
    return ca;
  }
}
