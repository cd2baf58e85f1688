package com.eucalyptus.clc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.eucalyptus.clc.bootstrap.CloudKeys;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.properties.SystemProperties;
import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.config.EucalyptusConf;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the CLC opens its storage controller from eucalyptus.conf and the system properties. */
class BlockStorageTest {
  @TempDir
  Path home;
  final java.util.List<Database> opened = new java.util.ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void close() {
    opened.forEach(Database::close);
  }

  BlockStorage start(Map<String, String> conf, String exportHostProperty) throws Exception {
    EucaPaths paths = EucaPaths.at(home);
    CloudKeys.ensure(paths.keysDir());
    try (Database db = TestDatabases.fileDatabase(home)) {
      SystemProperties p = new SystemProperties(db);
      p.ensureDefaults(paths.bukkitsDir().toString());
      p.set(SystemProperties.STORAGE_EXPORT_HOST, exportHostProperty);
      return BlockStorage.start(paths, EucalyptusConf.of(conf), p);
    }
  }

  @Test
  void disableEbsOpensNoControllerAndSaysSo() throws Exception {
    BlockStorage s = start(Map.of("DISABLE_EBS", "Y", "VNET_INTERFACE", "lo"), "");
    assertNull(s.controller());
    assertEquals("DISABLE_EBS is \"Y\" in eucalyptus.conf", s.problem());
  }

  @Test
  void theExportAddressIsThePropertyElseVnetInterfacesAddress() throws Exception {
    BlockStorage s = start(Map.of("VNET_INTERFACE", "lo"), "");
    assertNotNull(s.controller());
    assertEquals("nbd", s.controller().backendName());
    assertNull(s.problem(), "lo's 127.0.0.1 is an address of this host");
    assertEquals("127.0.0.1", BlockStorage.exportHost(EucalyptusConf.of(Map.of("VNET_INTERFACE", "lo")),
        propertiesWith("")));
    assertEquals("127.0.0.9", BlockStorage.exportHost(EucalyptusConf.of(Map.of("VNET_INTERFACE", "lo")),
        propertiesWith("127.0.0.9")));
  }

  @Test
  void withoutAnAddressTheVolumeActionsWillSayWhy() throws Exception {
    BlockStorage s = start(Map.of("VNET_INTERFACE", "no-such-if0"), "");
    assertEquals("the storage host's address is not configured", s.problem());
  }

  SystemProperties propertiesWith(String exportHost) {
    Database db = TestDatabases.fileDatabase(home.resolve("p" + exportHost.length()));
    opened.add(db);
    SystemProperties p = new SystemProperties(db);
    p.ensureDefaults(home.resolve("bukkits").toString());
    p.set(SystemProperties.STORAGE_EXPORT_HOST, exportHost);
    return p;
  }
}
