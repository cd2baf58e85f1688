package com.eucalyptus.clc.images;

import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.runtime.crypto.Pem;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The certificates the cloud CA ever issued to a user (every credentials download adds one), as
 * manifest signatures are checked against them: a bundle made with an older certificate of the
 * same user still registers.
 */
public final class UserCertificates {
  private static final Logger LOG = LogManager.getLogger(UserCertificates.class);
  private final Database db;

  public UserCertificates(Database db) {
    this.db = db;
  }

  public List<X509Certificate> of(String userName) {
    List<String> pems = db.tx(s -> s.createQuery("select c.pem from CertificateEntity c where c.userName = :u "
        + "order by c.issuedMillis desc", String.class).setParameter("u", userName).getResultList());
    List<X509Certificate> out = new ArrayList<>();
    for (String pem : pems) {
      try {
        out.add(Pem.parseCertificate(pem));
      } catch (IOException e) {
        LOG.warn("a stored certificate of {} cannot be read: {}", userName, e.getMessage());
      }
    }
    return out;
  }

}
