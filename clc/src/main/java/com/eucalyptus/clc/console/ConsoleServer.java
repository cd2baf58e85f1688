package com.eucalyptus.clc.console;

import com.eucalyptus.clc.console.pages.AuthPages;
import com.eucalyptus.clc.console.pages.ConfigurationPages;
import com.eucalyptus.clc.console.pages.CredentialsPages;
import com.eucalyptus.clc.console.pages.ExtrasPage;
import com.eucalyptus.clc.console.pages.ImagesPages;
import com.eucalyptus.clc.console.pages.SignupPages;
import com.eucalyptus.clc.console.pages.UsersPages;
import com.eucalyptus.clc.console.web.ConsoleServlet;
import com.eucalyptus.clc.console.web.Routes;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The web console: its own Jetty with one HTTPS connector (CLOUD_SSL_PORT, 8443) in the CLC process. */
public final class ConsoleServer implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(ConsoleServer.class);
  private final Server server;

  private ConsoleServer(Server server) {
    this.server = server;
  }

  /** Every page of the console, on their URLs. */
  public static Routes routes(ConsoleServices services) {
    Routes r = new Routes();
    new AuthPages(services).register(r);
    new SignupPages(services).register(r);
    new CredentialsPages(services).register(r);
    new ImagesPages(services).register(r);
    new UsersPages(services).register(r);
    new ConfigurationPages(services).register(r);
    new ExtrasPage().register(r);
    return r;
  }

  /** Starts the console on {@code services.sslPort()} (0: any free port, see {@link #port()}). */
  public static ConsoleServer start(ConsoleServices services, Path keysDir) throws Exception {
    byte[] pw = new byte[16];
    new SecureRandom().nextBytes(pw);
    char[] storePassword = HexFormat.of().formatHex(pw).toCharArray(); // in memory only
    KeyStore ks = ConsoleCertificate.ensure(keysDir, storePassword);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(ks);
    ssl.setKeyStorePassword(new String(storePassword));
    ssl.setCertAlias("www");
    ssl.setSniRequired(false);

    Server server = new Server();
    HttpConfiguration https = new HttpConfiguration();
    https.setSendServerVersion(false);
    SecureRequestCustomizer src = new SecureRequestCustomizer();
    src.setSniHostCheck(false); // the certificate is self-signed and names this host; any name the admin uses is fine
    https.addCustomizer(src);
    ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(https));
    connector.setPort(services.sslPort());
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder("console", new ConsoleServlet(routes(services), services.sessions(),
        user -> services.accounts().find(user).map(u -> u.enabled()).orElse(false))), "/*");
    server.setHandler(context);
    server.start();
    ConsoleServer cs = new ConsoleServer(server);
    LOG.info("web console up: https://<this host>:{}/", cs.port());
    return cs;
  }

  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("stopping the web console: {}", e.getMessage());
    }
  }
}
