package com.eucalyptus.runtime.crypto;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/** Reads and writes the PEM files under {@code var/lib/eucalyptus/keys} (certificates and RSA keys). */
public final class Pem {
  static {
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
  }

  private Pem() {
  }

  public static X509Certificate readCertificate(Path file) throws IOException {
    return parseCertificate(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public static X509Certificate parseCertificate(String pem) throws IOException {
    Object o = parse(new StringReader(pem));
    if (!(o instanceof X509CertificateHolder holder)) {
      throw new IOException("not a PEM certificate");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IOException("unreadable certificate: " + e.getMessage(), e);
    }
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
  }

  /** Accepts both "RSA PRIVATE KEY" (PKCS#1, as openssl and 1.5.2 write) and "PRIVATE KEY" (PKCS#8). */
  public static PrivateKey parsePrivateKey(String pem) throws IOException {
    Object o = parse(new StringReader(pem));
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    if (o instanceof PEMKeyPair pair) {
      return converter.getKeyPair(pair).getPrivate();
    }
    if (o instanceof PrivateKeyInfo info) {
      return converter.getPrivateKey(info);
    }
    throw new IOException("not a PEM private key");
  }

  private static Object parse(Reader reader) throws IOException {
    try (PEMParser parser = new PEMParser(reader)) {
      Object o = parser.readObject();
      if (o == null) {
        throw new IOException("no PEM object found");
      }
      return o;
    }
  }

  public static String toPem(Object certificateOrKey) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(certificateOrKey instanceof KeyPair kp ? kp.getPrivate() : certificateOrKey);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  public static void writeCertificate(Path file, X509Certificate cert) throws IOException {
    Files.writeString(file, toPem(cert), StandardCharsets.US_ASCII);
  }

  /** Private keys are written readable by their owner only. */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, toPem(key), StandardCharsets.US_ASCII);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
