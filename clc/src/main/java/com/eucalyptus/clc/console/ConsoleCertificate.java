package com.eucalyptus.clc.console;

import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The console's HTTPS certificate: self-signed (as 1.5.2's was, so browsers ask once), made with
 * Bouncy Castle at the first start and kept as keys/www-cert.pem and www-pk.pem. Its names are the
 * host's name, localhost and 127.0.0.1.
 */
public final class ConsoleCertificate {
  private static final Logger LOG = LogManager.getLogger(ConsoleCertificate.class);
  static final String CERT = "www-cert.pem";
  static final String KEY = "www-pk.pem";
  private static final Duration VALIDITY = Duration.ofDays(5 * 365);

  private ConsoleCertificate() {
  }

  /** The key store Jetty serves from (alias "www"), making the files if they are missing. */
  public static KeyStore ensure(Path keysDir, char[] storePassword) throws Exception {
    Path cert = keysDir.resolve(CERT);
    Path key = keysDir.resolve(KEY);
    if (!Files.exists(cert) || !Files.exists(key)) {
      make(cert, key);
    }
    X509Certificate c = Pem.readCertificate(cert);
    PrivateKey k = Pem.readPrivateKey(key);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("www", k, storePassword, new Certificate[] {c});
    return ks;
  }

  private static void make(Path certFile, Path keyFile) throws Exception {
    String host = hostName();
    LOG.info("making the console's self-signed HTTPS certificate for {} in {}", host, certFile.getParent());
    KeyPair kp = CertificateAuthority.newKeyPair();
    X500Name name = new X500Name("CN=" + host + ", OU=Eucalyptus, O=Cloud, L=Santa Barbara, ST=CA, C=US");
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()).abs()
        .add(BigInteger.ONE), Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name, kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames(host)));
    X509Certificate cert = new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
    Pem.writePrivateKey(keyFile, kp.getPrivate());
    Pem.writeCertificate(certFile, cert);
  }

  private static GeneralName[] altNames(String host) {
    Set<String> dns = new LinkedHashSet<>(List.of("localhost", host));
    List<GeneralName> names = new ArrayList<>();
    for (String d : dns) {
      names.add(new GeneralName(d.matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName, d));
    }
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    return names.toArray(GeneralName[]::new);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
