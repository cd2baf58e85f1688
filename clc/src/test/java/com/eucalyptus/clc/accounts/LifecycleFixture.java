package com.eucalyptus.clc.accounts;

import com.eucalyptus.clc.MutableClock;
import com.eucalyptus.clc.TestDatabases;
import com.eucalyptus.clc.bootstrap.CloudKeys;
import com.eucalyptus.clc.bootstrap.FirstStart;
import com.eucalyptus.clc.mail.SmtpMailer;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.properties.SystemProperties;
import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CLC's account side for tests: a real HSQLDB file database made by the first start (admin/admin,
 * properties), the cloud CA, and a real SMTP server (GreenMail) the mail goes to.
 */
public final class LifecycleFixture implements AutoCloseable {
  public final Path home;
  public final Database db;
  public final Accounts accounts;
  public final SystemProperties properties;
  public final CertificateAuthority ca;
  public final GreenMail smtp;
  public final MutableClock clock = new MutableClock();
  public final AccountLifecycle lifecycle;

  public LifecycleFixture(Path home) throws Exception {
    this.home = home;
    Path keys = home.resolve("var/lib/eucalyptus/keys");
    Files.createDirectories(keys);
    ca = CloudKeys.ensure(keys);
    db = TestDatabases.fileDatabase(home);
    accounts = new Accounts(db);
    properties = new SystemProperties(db);
    FirstStart.run(db, accounts, properties, keys, home.resolve("bukkits"));
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    properties.set(SystemProperties.MAIL_HOST, "127.0.0.1");
    properties.set(SystemProperties.MAIL_PORT, String.valueOf(smtp.getSmtp().getPort()));
    lifecycle = new AccountLifecycle(db, accounts, properties, new SmtpMailer(properties), clock);
  }

  public Path keysDir() {
    return home.resolve("var/lib/eucalyptus/keys");
  }

  /** The admin's first-time tasks as the console does them. */
  public void setUpAdmin() {
    lifecycle.completeSetup("admin", "s3cret-admin", "s3cret-admin", "admin@cloud.example", "http://cloud.example:8773/services/Walrus");
  }

  /** Waits for the n-th message (1-based) and returns it. */
  public MimeMessage mail(int n) {
    if (!smtp.waitForIncomingEmail(10_000, n)) {
      throw new AssertionError("mail number " + n + " did not arrive; got " + smtp.getReceivedMessages().length);
    }
    return smtp.getReceivedMessages()[n - 1];
  }

  public static String body(MimeMessage m) {
    try {
      return m.getContent().toString();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The code of the link with {@code action} in a mail body. */
  public static String code(MimeMessage m, String action) {
    Matcher x = Pattern.compile("https://[^\\s/]+/\\?action=" + action + "&code=([0-9a-f]{64})").matcher(body(m));
    if (!x.find()) {
      throw new AssertionError("no " + action + " link in: " + body(m));
    }
    return x.group(1);
  }

  @Override
  public void close() {
    smtp.stop();
    db.close();
  }
}
