package com.eucalyptus.storage.backend.nbd;

import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * The keys the export daemons use. The storage key pair ({@code keys/storage-cert.pem},
 * {@code keys/storage-pk.pem}) is issued once by the cloud CA and kept, as the front end keeps
 * the node's; its certificate names the storage host's address, which QEMU's NBD client checks.
 * QEMU reads fixed file names from one folder, so {@link #prepare} writes {@code ca-cert.pem},
 * {@code server-cert.pem} and {@code server-key.pem} there (key 0600, folder 0700).
 *
 * <p>Only the node's certificate may open an export: users' certificates are signed by the
 * same CA, so the CA check alone would let them in. {@link #nodeIdentity} is the subject QEMU's
 * authz-simple object compares with the client certificate's.
 */
final class ExportTls {
  private static final Logger LOG = LogManager.getLogger(ExportTls.class);
  static final String STORAGE_SUBJECT = "CN=storage, OU=Eucalyptus, O=Cloud, L=Santa Barbara, ST=CA, C=US";

  private final Path keysDir;
  private final Path tlsDir;

  ExportTls(Path keysDir, Path tlsDir) {
    this.keysDir = keysDir;
    this.tlsDir = tlsDir;
  }

  Path dir() {
    return tlsDir;
  }

  /** Why exports cannot be secured: a missing key file of the cloud, or null. */
  String problem() {
    for (String f : new String[] {"cloud-cert.pem", "cloud-pk.pem", "node-cert.pem"}) {
      if (!Files.isReadable(keysDir.resolve(f))) {
        return "missing " + keysDir.resolve(f) + " (the cloud's keys; the CLC makes them at its first start)";
      }
    }
    return null;
  }

  /**
   * Makes the storage key pair if it is missing or does not name {@code host}, and writes the
   * folder the daemons read.
   */
  void prepare(String host) throws IOException {
    Path cert = keysDir.resolve("storage-cert.pem");
    Path key = keysDir.resolve("storage-pk.pem");
    X509Certificate cloud = Pem.readCertificate(keysDir.resolve("cloud-cert.pem"));
    if (!Files.exists(cert) || !Files.exists(key) || !names(Pem.readCertificate(cert), host)
        || !issuedBy(Pem.readCertificate(cert), cloud)) {
      LOG.info("issuing the storage key pair for {} (keys/storage-cert.pem)", host);
      CertificateAuthority ca = new CertificateAuthority(cloud, Pem.readPrivateKey(keysDir.resolve("cloud-pk.pem")));
      CertificateAuthority.Issued issued = ca.issue(STORAGE_SUBJECT, List.of(host));
      Pem.writePrivateKey(key, issued.keyPair().getPrivate());
      writeAtomically(cert, Pem.toPem(issued.certificate()));
    }
    Files.createDirectories(tlsDir);
    Files.setPosixFilePermissions(tlsDir, PosixFilePermissions.fromString("rwx------"));
    writeAtomically(tlsDir.resolve("ca-cert.pem"), Pem.toPem(cloud));
    writeAtomically(tlsDir.resolve("server-cert.pem"), Files.readString(cert, StandardCharsets.US_ASCII));
    Pem.writePrivateKey(tlsDir.resolve("server-key.pem"), Pem.readPrivateKey(key));
  }

  /**
   * The node certificate's subject as QEMU (GnuTLS) writes a peer's name: the RDNs in the
   * certificate's order, e.g. {@code CN=node,OU=Eucalyptus,O=Cloud,L=Santa Barbara,ST=CA,C=US}
   * (the JDK's RFC 2253 string lists them the other way round).
   */
  String nodeIdentity() throws IOException {
    X509Certificate node = Pem.readCertificate(keysDir.resolve("node-cert.pem"));
    return X500Name.getInstance(node.getSubjectX500Principal().getEncoded()).toString();
  }

  private static boolean issuedBy(X509Certificate cert, X509Certificate ca) {
    try {
      cert.verify(ca.getPublicKey());
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /** Whether {@code cert}'s subjectAltNames include {@code host} (an address compares as one). */
  static boolean names(X509Certificate cert, String host) {
    Collection<List<?>> alt;
    try {
      alt = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (alt == null) {
      return false;
    }
    List<String> names = new ArrayList<>();
    alt.forEach(entry -> names.add(String.valueOf(entry.get(1))));
    for (String n : names) {
      if (n.equalsIgnoreCase(host) || sameAddress(n, host)) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameAddress(String a, String b) {
    if (!org.bouncycastle.util.IPAddress.isValid(a) || !org.bouncycastle.util.IPAddress.isValid(b)) {
      return false;
    }
    try {
      return InetAddress.getByName(a).equals(InetAddress.getByName(b));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
