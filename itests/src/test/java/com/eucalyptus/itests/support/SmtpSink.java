package com.eucalyptus.itests.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SMTP server for a test (GreenMail, in this JVM) on a free port of 127.0.0.1: the CLC's
 * mail setting is pointed at it and the test reads what the console sent.
 */
public final class SmtpSink implements AutoCloseable {
  private final GreenMail greenMail;
  private final int port;

  public SmtpSink() {
    this.port = freePort();
    this.greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    greenMail.start();
  }

  public int port() {
    return port;
  }

  /** One received mail, decoded. */
  public record Mail(List<String> to, String from, String subject, String body) {
    /** Every http(s) link in the body, in order. */
    public List<String> links() {
      List<String> out = new ArrayList<>();
      Matcher m = Pattern.compile("https?://[^\\s\"'<>]+").matcher(body);
      while (m.find()) {
        out.add(m.group().replaceAll("[.,;)]+$", "").replace("&amp;", "&"));
      }
      return out;
    }

    /** The first link containing {@code part}. */
    public String link(String part) {
      return links().stream().filter(l -> l.contains(part)).findFirst()
          .orElseThrow(() -> new AssertionError("no link with \"" + part + "\" in the mail \"" + subject + "\":\n" + body));
    }
  }

  public List<Mail> all() {
    List<Mail> out = new ArrayList<>();
    for (MimeMessage m : greenMail.getReceivedMessages()) {
      out.add(decode(m));
    }
    return out;
  }

  /** Waits for a mail to {@code recipient} whose subject contains {@code subjectPart}. */
  public Mail await(String recipient, String subjectPart, Duration timeout) {
    return CloudInstallation.await(timeout, "a mail to " + recipient + " about \"" + subjectPart + "\" (received so far: "
        + summary() + ")", () -> all().stream()
        .filter(m -> m.to().stream().anyMatch(t -> t.equalsIgnoreCase(recipient)))
        .filter(m -> m.subject() != null && m.subject().toLowerCase().contains(subjectPart.toLowerCase()))
        .reduce((a, b) -> b).orElse(null));
  }

  /** Mails received for {@code recipient} so far. */
  public List<Mail> to(String recipient) {
    return all().stream().filter(m -> m.to().stream().anyMatch(t -> t.equalsIgnoreCase(recipient))).toList();
  }

  public String summary() {
    return all().stream().map(m -> m.to() + " \"" + m.subject() + "\"").toList().toString();
  }

  private static Mail decode(MimeMessage m) {
    try {
      List<String> to = new ArrayList<>();
      Arrays.stream(m.getAllRecipients() == null ? new jakarta.mail.Address[0] : m.getAllRecipients())
          .forEach(a -> to.add(a instanceof InternetAddress ia ? ia.getAddress() : a.toString()));
      String from = m.getFrom() == null || m.getFrom().length == 0 ? "" : ((InternetAddress) m.getFrom()[0]).getAddress();
      return new Mail(to, from, m.getSubject(), text(m.getContent()));
    } catch (MessagingException e) {
      throw new AssertionError("unreadable mail", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(Object content) throws MessagingException, IOException {
    if (content instanceof String s) {
      return s;
    }
    if (content instanceof Multipart mp) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart part = mp.getBodyPart(i);
        sb.append(text(part.getContent())).append('\n');
      }
      return sb.toString();
    }
    return String.valueOf(content);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    greenMail.stop();
  }
}
