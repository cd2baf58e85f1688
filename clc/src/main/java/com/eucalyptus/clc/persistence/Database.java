package com.eucalyptus.clc.persistence;

import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.config.EucalyptusConf;
import java.util.function.Function;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.Transaction;
import org.hibernate.cfg.Configuration;

/**
 * The CLC's database through Hibernate: the embedded HSQLDB under var/lib/eucalyptus/db by
 * default, or the PostgreSQL server CLOUD_DB_URL names — the same mapping for both. The schema is
 * created and updated at start.
 */
public final class Database implements AutoCloseable, com.eucalyptus.walrus.metadata.Transactions {
  private final SessionFactory sessions;
  private final String url;

  private Database(SessionFactory sessions, String url) {
    this.sessions = sessions;
    this.url = url;
  }

  public static Database open(EucaPaths paths, EucalyptusConf conf) {
    String url = conf.get("CLOUD_DB_URL", "");
    String user = conf.get("CLOUD_DB_USER", "");
    String password = conf.get("CLOUD_DB_PASSWORD", "");
    if (url.isBlank()) {
      url = "jdbc:hsqldb:file:" + paths.dbDir().resolve("eucalyptus") + ";shutdown=true;hsqldb.write_delay=false";
      user = "SA";
      password = "";
    }
    Configuration cfg = new Configuration();
    cfg.setProperty("hibernate.connection.url", url);
    cfg.setProperty("hibernate.connection.username", user);
    cfg.setProperty("hibernate.connection.password", password);
    cfg.setProperty("hibernate.hbm2ddl.auto", "update");
    cfg.setProperty("hibernate.connection.pool_size", "8");
    cfg.setProperty("hibernate.show_sql", "false");
    for (Class<?> c : new Class<?>[] {UserEntity.class, CertificateEntity.class, VmTypeEntity.class, ClusterEntity.class,
        PropertyEntity.class, UserProfileEntity.class, OneTimeCodeEntity.class, ImageEntity.class, KeyPairEntity.class,
        SecurityGroupEntity.class, SecurityGroupRuleEntity.class, InstanceEntity.class, NetworkIndexEntity.class,
        AddressEntity.class, VolumeEntity.class}) {
      cfg.addAnnotatedClass(c);
    }
    com.eucalyptus.walrus.Walrus.ENTITIES.forEach(cfg::addAnnotatedClass);
    return new Database(cfg.buildSessionFactory(), url);
  }

  /** Runs {@code work} in one transaction, committed when it returns, rolled back when it throws. */
  @Override
  public <T> T tx(Function<Session, T> work) {
    try (Session s = sessions.openSession()) {
      Transaction t = s.beginTransaction();
      try {
        T result = work.apply(s);
        t.commit();
        return result;
      } catch (RuntimeException e) {
        if (t.isActive()) {
          t.rollback();
        }
        throw e;
      }
    }
  }

  /** The JDBC URL without credentials, for the log. */
  public String describe() {
    return url.replaceAll("password=[^;&]*", "password=***");
  }

  @Override
  public void close() {
    sessions.close();
  }
}
