package com.eucalyptus.walrus;

import com.eucalyptus.walrus.auth.AuthResult;
import com.eucalyptus.walrus.auth.S3Authenticator;
import com.eucalyptus.walrus.auth.S3RequestTarget;
import com.eucalyptus.walrus.auth.WalrusUser;
import com.eucalyptus.walrus.auth.WalrusUsers;
import com.eucalyptus.walrus.metadata.Transactions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.Transaction;
import org.hibernate.cfg.Configuration;

/**
 * The real Walrus filter in a real Jetty over a real HSQLDB file database under a temp folder (or
 * the PostgreSQL server -Dwalrus.test.jdbc names: the same mapping must work on both),
 * mounted as the CLC mounts it (a servlet behind it stands for the EC2 Query API and answers
 * "ec2"). Signatures have their own tests (auth package, branch wt-walrus-auth): here the
 * authenticator is a stand-in that takes the caller's name from "Authorization: TEST name".
 */
public final class TestWalrus implements AutoCloseable {
  public final Path home;
  public final SessionFactory sessions;
  public final Map<String, WalrusUser> users = new ConcurrentHashMap<>();
  public volatile int maxBuckets = 5;
  public volatile long maxBucketMb = 5120;
  public final Walrus walrus;
  public final Server server;
  public final int port;

  public TestWalrus(Path home) throws Exception {
    this.home = home;
    Configuration cfg = new Configuration();
    String jdbc = System.getProperty("walrus.test.jdbc", "");
    if (jdbc.isEmpty()) {
      cfg.setProperty("hibernate.connection.url", "jdbc:hsqldb:file:" + home.resolve("db/eucalyptus") + ";shutdown=true;hsqldb.write_delay=false");
      cfg.setProperty("hibernate.connection.username", "SA");
      cfg.setProperty("hibernate.hbm2ddl.auto", "update");
    } else {
      // a PostgreSQL server given by the caller: a fresh schema per test
      cfg.setProperty("hibernate.connection.url", jdbc);
      cfg.setProperty("hibernate.connection.username", System.getProperty("walrus.test.jdbc.user", "postgres"));
      cfg.setProperty("hibernate.hbm2ddl.auto", "create-drop");
    }
    cfg.setProperty("hibernate.connection.password", "");
    cfg.setProperty("hibernate.connection.pool_size", "8");
    Walrus.ENTITIES.forEach(cfg::addAnnotatedClass);
    sessions = cfg.buildSessionFactory();
    addUser("alice");
    addUser("bob");
    walrus = new Walrus(new WalrusSettings(home.resolve("bukkits"), () -> "example.test", () -> maxBuckets, () -> maxBucketMb),
        tx(), new Users(), new TestAuthenticator());
    server = new Server(0);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(200);
        resp.getWriter().write("ec2");
      }
    }), "/*");
    walrus.mount(server, context);
    server.setHandler(context);
    server.start();
    port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  public WalrusUser addUser(String name) {
    byte[] id = new byte[32];
    byte[] n = name.getBytes();
    System.arraycopy(n, 0, id, 0, Math.min(n.length, 32));
    WalrusUser u = new WalrusUser(name, HexFormat.of().formatHex(id), name + "@example.test", false, "AK" + name, "SK" + name);
    users.put(name, u);
    return u;
  }

  public Transactions tx() {
    return new Transactions() {
      @Override
      public <T> T tx(Function<Session, T> work) {
        try (Session s = sessions.openSession()) {
          Transaction t = s.beginTransaction();
          try {
            T r = work.apply(s);
            t.commit();
            return r;
          } catch (RuntimeException e) {
            if (t.isActive()) {
              t.rollback();
            }
            throw e;
          }
        }
      }
    };
  }

  private final class Users implements WalrusUsers {
    @Override
    public Optional<KeyHolder> holderOf(String accessKey) {
      return byAccessKey(accessKey).map(u -> new KeyHolder(u, null));
    }

    @Override
    public Optional<WalrusUser> byAccessKey(String accessKey) {
      return users.values().stream().filter(u -> u.accessKey().equals(accessKey)).findFirst();
    }

    @Override
    public Optional<WalrusUser> byName(String name) {
      return Optional.ofNullable(users.get(name));
    }

    @Override
    public Optional<WalrusUser> byCanonicalId(String canonicalId) {
      return users.values().stream().filter(u -> u.canonicalId().equals(canonicalId)).findFirst();
    }

    @Override
    public Optional<WalrusUser> byEmail(String email) {
      return users.values().stream().filter(u -> u.email().equalsIgnoreCase(email)).findFirst();
    }
  }

  /** Stand-in for the signature checks: "Authorization: TEST name" names the caller. */
  private final class TestAuthenticator implements S3Authenticator {
    @Override
    public AuthResult authenticate(HttpServletRequest request, S3RequestTarget target) throws S3Exception {
      String a = request.getHeader("Authorization");
      Optional<WalrusUser> user = Optional.empty();
      if (a != null) {
        user = Optional.ofNullable(a.startsWith("TEST ") ? users.get(a.substring(5)) : null);
        if (user.isEmpty()) {
          throw new S3Exception(403, "InvalidAccessKeyId", "unknown test user");
        }
      }
      try {
        return new AuthResult(user, request.getInputStream(), request.getContentLengthLong());
      } catch (IOException e) {
        throw new S3Exception(400, "IncompleteBody", e.getMessage());
      }
    }

    @Override
    public Optional<WalrusUser> verifyPostPolicy(Map<String, String> fields) {
      String who = fields.get("x-test-user");
      return Optional.ofNullable(who == null ? null : users.get(who));
    }
  }

  public List<String> filesOnDisk() throws IOException {
    try (var s = java.nio.file.Files.walk(home.resolve("bukkits"))) {
      return s.filter(java.nio.file.Files::isRegularFile).map(Path::toString).toList();
    }
  }

  @Override
  public void close() throws Exception {
    server.stop();
    sessions.close();
  }
}
