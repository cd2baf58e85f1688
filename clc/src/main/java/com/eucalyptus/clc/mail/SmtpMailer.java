package com.eucalyptus.clc.mail;

import com.eucalyptus.clc.properties.SystemProperties;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.Properties;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Mail over SMTP with Jakarta Mail to the server the system properties name (mail.smtp.host and
 * mail.smtp.port, default localhost:25, as the guide asks of the head node). The properties are
 * read for every message, so a change in the Configuration tab takes effect at once. The sender
 * is the administrator's address (admin.email).
 */
public final class SmtpMailer implements Mailer {
  private static final Logger LOG = LogManager.getLogger(SmtpMailer.class);
  private static final int TIMEOUT_MILLIS = 15_000;
  private final SystemProperties properties;

  public SmtpMailer(SystemProperties properties) {
    this.properties = properties;
  }

  @Override
  public void send(String to, String subject, String body) throws MailFailure {
    String host = properties.get(SystemProperties.MAIL_HOST);
    String port = properties.get(SystemProperties.MAIL_PORT);
    host = host.isBlank() ? "localhost" : host.trim();
    port = port.isBlank() ? "25" : port.trim();
    String from = properties.get(SystemProperties.ADMIN_EMAIL);
    if (from.isBlank()) {
      from = "eucalyptus@localhost";
    }
    Properties p = new Properties();
    p.put("mail.smtp.host", host);
    p.put("mail.smtp.port", port);
    p.put("mail.smtp.connectiontimeout", String.valueOf(TIMEOUT_MILLIS));
    p.put("mail.smtp.timeout", String.valueOf(TIMEOUT_MILLIS));
    p.put("mail.smtp.writetimeout", String.valueOf(TIMEOUT_MILLIS));
    try {
      MimeMessage m = new MimeMessage(Session.getInstance(p));
      m.setFrom(new InternetAddress(from));
      m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
      m.setSubject(subject, "UTF-8");
      m.setSentDate(new Date());
      m.setText(body, "UTF-8");
      Transport.send(m);
      LOG.info("mail \"{}\" sent to {} through {}:{}", subject, to, host, port);
    } catch (MessagingException | RuntimeException e) {
      String why = "SMTP server " + host + ":" + port + ": " + rootMessage(e);
      LOG.error("mail \"{}\" to {} could not be sent ({})", subject, to, why);
      throw new MailFailure(why, e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.replaceAll("[\\r\\n]+", " ");
  }
}
