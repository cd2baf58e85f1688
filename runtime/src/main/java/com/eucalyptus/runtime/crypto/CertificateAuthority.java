package com.eucalyptus.runtime.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes RSA key pairs and X.509 certificates: the cloud's self-signed CA certificate and the
 * certificates it issues (cluster, node, users), as the 1.5.2 front end did.
 */
public final class CertificateAuthority {
  public static final int KEY_BITS = 2048;
  private static final Duration VALIDITY = Duration.ofDays(5 * 365);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate caCertificate;
  private final PrivateKey caKey;

  public CertificateAuthority(X509Certificate caCertificate, PrivateKey caKey) {
    this.caCertificate = caCertificate;
    this.caKey = caKey;
  }

  public X509Certificate certificate() {
    return caCertificate;
  }

  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(KEY_BITS, RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new self-signed CA with the given subject, e.g. {@code CN=www.eucalyptus.com, OU=Eucalyptus, O=Cloud, C=US}. */
  public static Issued newSelfSigned(String subject) {
    KeyPair kp = newKeyPair();
    X500Name name = new X500Name(subject);
    X509Certificate cert = build(name, name, kp, kp.getPrivate(), true, List.of());
    return new Issued(kp, cert);
  }

  /** A new key pair and a certificate for it signed by this CA. */
  public Issued issue(String subject) {
    return issue(subject, List.of());
  }

  /**
   * As {@link #issue(String)}, the certificate also naming {@code altNames} as its
   * subjectAltName: IP addresses (an iPAddress entry) or host names (a dNSName entry). A TLS
   * client checks a server's certificate against the host it connected to through these.
   */
  public Issued issue(String subject, List<String> altNames) {
    KeyPair kp = newKeyPair();
    X500Name issuer = X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
    return new Issued(kp, build(new X500Name(subject), issuer, kp, caKey, false, altNames));
  }

  private static X509Certificate build(X500Name subject, X500Name issuer, KeyPair subjectKeys, PrivateKey signer, boolean ca,
      List<String> altNames) {
    Instant now = Instant.now();
    BigInteger serial = new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial,
        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject, subjectKeys.getPublic());
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      b.addExtension(Extension.keyUsage, true, ca
          ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature)
          : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.dataEncipherment));
      if (!altNames.isEmpty()) {
        GeneralName[] names = altNames.stream().map(CertificateAuthority::altName).toArray(GeneralName[]::new);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      ContentSigner cs = new JcaContentSignerBuilder("SHA256withRSA").build(signer);
      return new JcaX509CertificateConverter().getCertificate(b.build(cs));
    } catch (OperatorCreationException | GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot make certificate for " + subject, e);
    }
  }

  private static GeneralName altName(String name) {
    boolean ip = org.bouncycastle.util.IPAddress.isValid(name);
    return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name);
  }

  /** A key pair with its certificate. */
  public record Issued(KeyPair keyPair, X509Certificate certificate) {
  }
}
