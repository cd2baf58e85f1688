package com.eucalyptus.clc.console;

import com.eucalyptus.clc.accounts.AccountLifecycle;
import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.accounts.CredentialsZip;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.console.web.LoginThrottle;
import com.eucalyptus.clc.console.web.Sessions;
import com.eucalyptus.clc.images.Images;
import com.eucalyptus.clc.mail.SmtpMailer;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.properties.SystemProperties;
import com.eucalyptus.runtime.config.EucalyptusConf;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Starts the web console of a running CLC: the account lifecycle with SMTP mail, sessions, login
 * throttling and the HTTPS server on CLOUD_SSL_PORT. The lifecycle is returned so that services
 * owning users' things (instances, buckets) can add their deletion checks.
 */
public final class WebConsole {
  /** Failed logins allowed before the delays start (per user and per address). */
  public static final int FREE_LOGIN_FAILURES = 3;

  private WebConsole() {
  }

  /** The started console and the lifecycle it uses. */
  public record Started(ConsoleServer server, AccountLifecycle lifecycle) implements AutoCloseable {
    @Override
    public void close() {
      server.close();
    }
  }

  public static Started start(EucalyptusConf conf, Path keysDir, Database db, Accounts accounts,
      SystemProperties properties, CredentialsZip credentials, Clusters clusters) throws Exception {
    Clock clock = Clock.systemUTC();
    AccountLifecycle lifecycle = new AccountLifecycle(db, accounts, properties, new SmtpMailer(properties), clock);
    ConsoleServices services = new ConsoleServices(lifecycle, accounts, properties, credentials, new Images(db), clusters,
        new Sessions(clock), new LoginThrottle(clock, FREE_LOGIN_FAILURES), conf.getInt("CLOUD_SSL_PORT", 8443),
        conf.getInt("CLOUD_PORT", 8773));
    return new Started(ConsoleServer.start(services, keysDir), lifecycle);
  }
}
