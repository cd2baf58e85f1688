package com.eucalyptus.nc.volumes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the node's NBD client credentials go (libvirt's rule read from a qemu.conf written by the
 * test), what they are, and that credentials someone else put there are left alone. The real
 * libvirt reading them: VolumeAttachTest.
 */
class NbdClientCredentialsTest {
  @TempDir
  Path tmp;
  Path keys;
  Path qemuConf;

  @BeforeEach
  void keys() throws Exception {
    keys = Files.createDirectories(tmp.resolve("keys"));
    CertificateAuthority.Issued cloud = CertificateAuthority.newSelfSigned("CN=cloud");
    CertificateAuthority.Issued node = new CertificateAuthority(cloud.certificate(), cloud.keyPair().getPrivate()).issue("CN=node");
    Pem.writeCertificate(keys.resolve("cloud-cert.pem"), cloud.certificate());
    Pem.writeCertificate(keys.resolve("node-cert.pem"), node.certificate());
    Pem.writePrivateKey(keys.resolve("node-pk.pem"), node.keyPair().getPrivate());
    qemuConf = tmp.resolve("qemu.conf");
  }

  @Test
  void theDirectoryIsLibvirtsNbdOneElseTheDefaultOneElsePkiQemu() throws Exception {
    NbdClientCredentials c = new NbdClientCredentials(keys, qemuConf);
    assertEquals(Path.of("/etc/pki/qemu"), c.directory(), "no qemu.conf: libvirt's default");
    Files.writeString(qemuConf, "#nbd_tls_x509_cert_dir = \"/etc/pki/libvirt-nbd\"\ndefault_tls_x509_cert_dir = \"/srv/pki\"\n");
    assertEquals(Path.of("/srv/pki"), c.directory());
    Files.writeString(qemuConf, "default_tls_x509_cert_dir = \"/srv/pki\"\n  nbd_tls_x509_cert_dir = \"" + tmp.resolve("nbd")
        + "\"  # ours\n");
    assertEquals(tmp.resolve("nbd"), c.directory());
  }

  @Test
  void theNodesKeysAreWrittenAsQemuWantsThemAndRewrittenWhenTheyChange() throws Exception {
    Files.writeString(qemuConf, "nbd_tls_x509_cert_dir = \"" + tmp.resolve("nbd") + "\"\n");
    NbdClientCredentials c = new NbdClientCredentials(keys, qemuConf);
    assertNull(c.problem());
    Path dir = tmp.resolve("nbd");
    assertTrue(Files.notExists(dir), "checking writes nothing");
    assertNull(c.ensure());
    assertEquals(-1, Files.mismatch(keys.resolve("cloud-cert.pem"), dir.resolve("ca-cert.pem")));
    assertEquals(-1, Files.mismatch(keys.resolve("node-cert.pem"), dir.resolve("client-cert.pem")));
    assertEquals(-1, Files.mismatch(keys.resolve("node-pk.pem"), dir.resolve("client-key.pem")));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("client-key.pem"))));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("client-cert.pem"))));
    // new keys (euca_conf --synckeys): the next attach takes them
    CertificateAuthority.Issued other = CertificateAuthority.newSelfSigned("CN=node2");
    Pem.writeCertificate(keys.resolve("node-cert.pem"), other.certificate());
    Pem.writePrivateKey(keys.resolve("node-pk.pem"), other.keyPair().getPrivate());
    assertNull(c.ensure());
    assertEquals(-1, Files.mismatch(keys.resolve("node-pk.pem"), dir.resolve("client-key.pem")));
  }

  @Test
  void credentialsSomeoneElsePutThereAreNotReplacedAndTheMessageSaysWhatToSet() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("pki-qemu"));
    Files.writeString(shared.resolve("ca-cert.pem"), "the site's own CA for VNC\n");
    Files.writeString(qemuConf, "default_tls_x509_cert_dir = \"" + shared + "\"\n");
    assertEquals(new NbdClientCredentials(keys, qemuConf).problem(), new NbdClientCredentials(keys, qemuConf).ensure());
    String problem = new NbdClientCredentials(keys, qemuConf).ensure();
    assertTrue(problem.contains("already holds a ca-cert.pem that is not this node's") && problem.contains(
        "add nbd_tls_x509_cert_dir = \"/etc/pki/libvirt-nbd\" to " + qemuConf), problem);
    assertEquals("the site's own CA for VNC\n", Files.readString(shared.resolve("ca-cert.pem")));
  }

  @Test
  void missingNodeKeysAreNamed() throws Exception {
    Files.delete(keys.resolve("node-pk.pem"));
    Files.writeString(qemuConf, "nbd_tls_x509_cert_dir = \"" + tmp.resolve("nbd") + "\"\n");
    String problem = new NbdClientCredentials(keys, qemuConf).ensure();
    assertTrue(problem.startsWith("no readable " + keys.resolve("node-pk.pem")), problem);
  }
}
