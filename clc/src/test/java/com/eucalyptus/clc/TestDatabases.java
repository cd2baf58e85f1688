package com.eucalyptus.clc;

import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.config.EucalyptusConf;
import java.nio.file.Path;
import java.util.Map;

/** Real HSQLDB databases for tests: a file database under a temp $EUCALYPTUS, as the CLC uses. */
public final class TestDatabases {
  private TestDatabases() {
  }

  public static Database fileDatabase(Path home) {
    return Database.open(EucaPaths.at(home), EucalyptusConf.of(Map.of()));
  }
}
