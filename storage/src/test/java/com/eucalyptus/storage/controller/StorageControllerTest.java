package com.eucalyptus.storage.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.storage.backend.VolumeBackend.StoredVolume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller's choice of backend and its start-time checks, over a real $EUCALYPTUS folder. */
class StorageControllerTest {
  @TempDir
  Path home;
  EucaPaths paths;
  String host;

  @BeforeEach
  void keys() throws IOException {
    paths = EucaPaths.at(home);
    paths.ensureVarDirs();
    CertificateAuthority.Issued cloud = CertificateAuthority.newSelfSigned("CN=www.eucalyptus.com, OU=Eucalyptus, O=Cloud, C=US");
    Pem.writeCertificate(paths.keysDir().resolve("cloud-cert.pem"), cloud.certificate());
    Pem.writePrivateKey(paths.keysDir().resolve("cloud-pk.pem"), cloud.keyPair().getPrivate());
    CertificateAuthority.Issued node = new CertificateAuthority(cloud.certificate(), cloud.keyPair().getPrivate())
        .issue("CN=node, OU=Eucalyptus, O=Cloud, C=US");
    Pem.writeCertificate(paths.keysDir().resolve("node-cert.pem"), node.certificate());
    host = "127.0." + java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 255) + ".9";
  }

  @Test
  void nbdIsTheDefaultAndVolumesLiveWhere152PutThem() throws IOException {
    StorageConfig config = StorageConfig.defaults(paths, host);
    assertEquals("nbd", config.backend());
    assertEquals(home.resolve("var/lib/eucalyptus/volumes"), config.volumesDir());
    StorageController sc = StorageController.open(config);
    assertNull(sc.problem());
    assertEquals("nbd", sc.backendName());
    sc.createVolume("vol-12345678", 1 << 20);
    assertTrue(Files.isRegularFile(home.resolve("var/lib/eucalyptus/volumes/vol-12345678")));
    assertEquals(List.of(new StoredVolume("vol-12345678", 1 << 20)), sc.listVolumes());
    assertNull(sc.exportOf("vol-12345678"));
    sc.deleteVolume("vol-12345678");
    assertEquals(List.of(), sc.listVolumes());
    assertEquals("nbd", config.withBackend(" ").backend());
  }

  @Test
  void aConfiguredVolumesPathIsUsedAndItsLeftoversClearedAtOpen() throws IOException {
    Path elsewhere = Files.createDirectories(home.resolve("big-disk/volumes"));
    Files.write(elsewhere.resolve(".vol-0000000F.creating"), new byte[512]);
    StorageController sc = StorageController.open(StorageConfig.defaults(paths, host).withVolumesDir(elsewhere.toString()));
    assertFalse(Files.exists(elsewhere.resolve(".vol-0000000F.creating")));
    sc.createVolume("vol-0000000E", 4096);
    assertTrue(Files.isRegularFile(elsewhere.resolve("vol-0000000E")));
  }

  @Test
  void anUnknownBackendIsRefusedNamingTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StorageController.open(StorageConfig.defaults(paths, host).withBackend("iscsi")));
    assertEquals("unknown storage backend 'iscsi'; known: nbd", e.getMessage());
  }

  @Test
  void withoutQemuStorageDaemonTheControllerSaysWhyAndRefusesEveryCall() throws IOException {
    StorageController sc = StorageController.open(StorageConfig.defaults(paths, host)
        .withDaemon(home.resolve("no-such/qemu-storage-daemon").toString()));
    assertTrue(sc.problem().contains("qemu-storage-daemon"), sc.problem());
    StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> sc.createVolume("vol-1", 4096));
    assertTrue(e.getMessage().startsWith("block storage is unavailable: "), e.getMessage());
    assertThrows(StorageUnavailableException.class, sc::listVolumes);
    assertFalse(Files.exists(home.resolve("var/lib/eucalyptus/volumes/vol-1")));
  }

  @Test
  void missingCloudKeysAWildcardOrAForeignAddressAreProblems() throws IOException {
    Files.delete(paths.keysDir().resolve("node-cert.pem"));
    assertTrue(StorageController.open(StorageConfig.defaults(paths, host)).problem().contains("node-cert.pem"));
    assertTrue(StorageController.open(StorageConfig.defaults(paths, "0.0.0.0")).problem().contains("wildcard"));
    // TEST-NET-1 (RFC 5737): never an address of this host
    assertTrue(StorageController.open(StorageConfig.defaults(paths, "192.0.2.1")).problem().contains("not an address of this host"));
    assertTrue(StorageController.open(StorageConfig.defaults(paths, "")).problem().contains("not configured"));
    assertTrue(StorageController.open(StorageConfig.defaults(paths, host).withExportPorts(20, 10)).problem()
        .contains("not a range"));
  }
}
