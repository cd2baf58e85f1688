package com.eucalyptus.runtime.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things live under {@code $EUCALYPTUS}, the 1.5.2 source-install layout. The root comes from
 * the system property {@code euca.home}, else the environment variable {@code EUCALYPTUS}, else
 * {@code /opt/eucalyptus}; the configuration file from {@code euca.conf} / {@code EUCA_CONF}, else
 * {@code $EUCALYPTUS/etc/eucalyptus/eucalyptus.conf}.
 */
public record EucaPaths(Path home, Path confFile) {

  public static EucaPaths fromEnvironment() {
    String home = System.getProperty("euca.home");
    if (home == null || home.isBlank()) {
      home = System.getenv("EUCALYPTUS");
    }
    if (home == null || home.isBlank()) {
      home = "/opt/eucalyptus";
    }
    Path root = Path.of(home).toAbsolutePath().normalize();
    String conf = System.getProperty("euca.conf");
    if (conf == null || conf.isBlank()) {
      conf = System.getenv("EUCA_CONF");
    }
    return new EucaPaths(root, conf == null || conf.isBlank()
        ? root.resolve("etc/eucalyptus/eucalyptus.conf") : Path.of(conf).toAbsolutePath());
  }

  public static EucaPaths at(Path home) {
    return new EucaPaths(home, home.resolve("etc/eucalyptus/eucalyptus.conf"));
  }

  public Path keysDir() {
    return home.resolve("var/lib/eucalyptus/keys");
  }

  public Path dbDir() {
    return home.resolve("var/lib/eucalyptus/db");
  }

  public Path bukkitsDir() {
    return home.resolve("var/lib/eucalyptus/bukkits");
  }

  public Path logDir() {
    return home.resolve("var/log/eucalyptus");
  }

  public Path runDir() {
    return home.resolve("var/run/eucalyptus");
  }

  public EucalyptusConf loadConf() throws IOException {
    return EucalyptusConf.loadIfPresent(confFile);
  }

  /** Creates the var folders a daemon writes to, if missing. */
  public void ensureVarDirs() throws IOException {
    for (Path p : new Path[] {keysDir(), dbDir(), logDir(), runDir()}) {
      Files.createDirectories(p);
    }
  }
}
