package com.eucalyptus.walrus.imagecache;

import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.walrus.S3Exception;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;

/**
 * Authenticates Walrus's internal requests (EucaOperation) the way 1.5.2's
 * WalrusQuerySecurityHandler did for the NC's storage/walrus.c:
 *
 * <pre>
 * Authorization: Euca
 * Date: &lt;date&gt;                        (asctime "Tue Nov 24 14:36:31 2026" as the C client sends, or RFC 1123)
 * EucaCert: base64(PEM of node-cert.pem)
 * EucaSignature: base64(SHA1withRSA(node-pk.pem, VERB + "\n" + DATE + "\n" + PATH + "\n"))
 * </pre>
 *
 * PATH is the request path as sent, without the query string. The certificate must be the
 * node certificate the cloud keeps (keys/node-cert.pem) and the date within 15 minutes.
 */
public final class NodeRequestAuthenticator {
  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);
  private final Path nodeCertFile;
  private final Clock clock;

  public NodeRequestAuthenticator(Path nodeCertFile, Clock clock) {
    this.nodeCertFile = nodeCertFile;
    this.clock = clock;
  }

  /** @throws S3Exception 403 AccessDenied (with the reason) when the request is not the node's */
  public void authenticate(HttpServletRequest req) throws S3Exception {
    String auth = req.getHeader("Authorization");
    String date = req.getHeader("Date");
    String certHeader = req.getHeader("EucaCert");
    String sigHeader = req.getHeader("EucaSignature");
    if (auth == null || !auth.trim().equals("Euca") || date == null || certHeader == null || sigHeader == null) {
      throw denied("internal Walrus operations need Authorization: Euca, Date, EucaCert and EucaSignature headers "
          + "signed with the node certificate");
    }
    X509Certificate nodeCert;
    try {
      nodeCert = Pem.readCertificate(nodeCertFile);
    } catch (Exception e) {
      throw new S3Exception(503, "ServiceUnavailable", "the cloud has no node certificate (" + nodeCertFile.getFileName() + ")");
    }
    X509Certificate sent;
    try {
      sent = Pem.parseCertificate(new String(Base64.getMimeDecoder().decode(certHeader.trim()), StandardCharsets.US_ASCII));
    } catch (Exception e) {
      throw denied("EucaCert is not a base64-encoded PEM certificate");
    }
    try {
      if (!MessageDigest.isEqual(sent.getEncoded(), nodeCert.getEncoded())) {
        throw denied("EucaCert is not the node certificate");
      }
    } catch (java.security.cert.CertificateEncodingException e) {
      throw denied("EucaCert cannot be read");
    }
    Instant when = parseDate(date.trim());
    if (Duration.between(when, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
      throw new S3Exception(403, "RequestTimeTooSkewed", "The difference between the request time and the server's time is too large.");
    }
    String canonical = req.getMethod() + "\n" + date + "\n" + req.getRequestURI() + "\n";
    try {
      Signature v = Signature.getInstance("SHA1withRSA");
      v.initVerify(nodeCert.getPublicKey());
      v.update(canonical.getBytes(StandardCharsets.UTF_8));
      if (!v.verify(Base64.getMimeDecoder().decode(sigHeader.trim()))) {
        throw denied("EucaSignature does not verify with the node certificate");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw denied("EucaSignature does not verify with the node certificate");
    }
  }

  static Instant parseDate(String date) throws S3Exception {
    try {
      return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      // the C client's asctime(gmtime()), UTC
    }
    try {
      return LocalDateTime.parse(date.replaceAll("\\s+", " ").replaceFirst("^(\\w+ \\w+) (\\d) ", "$1  $2 "), ASCTIME)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new S3Exception(403, "AccessDenied", "Date '" + date + "' is neither asctime nor RFC 1123");
    }
  }

  private static S3Exception denied(String why) {
    return new S3Exception(403, "AccessDenied", why);
  }
}
