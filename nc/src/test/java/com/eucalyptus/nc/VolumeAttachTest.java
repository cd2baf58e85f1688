package com.eucalyptus.nc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.wsdl.nc.types.*;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import org.apache.axis2.AxisFault;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A volume on a real guest: the NC (as the daemon starts it, over signed SOAP) hot-plugs a real
 * NBD export into a real QEMU/TCG guest booted as {@link GuestBootTest} boots one (its set-up is
 * reused). The export is served by a real qemu-storage-daemon the test starts as the storage
 * host would (standing in for the storage controller's nbd backend, which has its own tests):
 * TLS with a server certificate from the cloud CA naming the storage address, verify-peer, and a
 * tls-authz that admits only the node certificate's DN. So the attach works only if the NC put
 * the node's credentials where libvirt's QEMU looks for them.
 */
class VolumeAttachTest {
  /** stands in for the storage host: QEMU connects to it from the host's network namespace */
  static final String STORAGE_HOST = "127.0.0.1";
  static Process storage;
  static Process stranger;
  static int exportPort;
  static int strangerPort;
  static String volumeId;
  static String remoteDev;

  @BeforeAll
  static void setUp() throws Exception {
    GuestBootTest.setUp();
    volumeId = "vol-" + GuestBootTest.RUN + "01";
    Path srv = Files.createDirectories(GuestBootTest.home.resolve("storage/tls"));
    CertificateAuthority.Issued cloud = GuestBootTest.cloud;
    KeyPair serverKeys = CertificateAuthority.newKeyPair();
    Pem.writeCertificate(srv.resolve("ca-cert.pem"), cloud.certificate());
    Pem.writeCertificate(srv.resolve("server-cert.pem"), serverCertificate(cloud, serverKeys, STORAGE_HOST));
    Pem.writePrivateKey(srv.resolve("server-key.pem"), serverKeys.getPrivate());
    exportPort = GuestBootTest.freePort();
    X509Certificate node = Pem.readCertificate(GuestBootTest.paths.keysDir().resolve("node-cert.pem"));
    storage = serve(GuestBootTest.home.resolve("storage"), srv, volumeId, exportPort, gnutlsDn(node));
    remoteDev = "nbd://" + STORAGE_HOST + ":" + exportPort + "/" + volumeId;
    // the same, but admitting another certificate's DN only: the node's connection must be refused
    strangerPort = GuestBootTest.freePort();
    stranger = serve(GuestBootTest.home.resolve("storage"), srv, volumeId + "x", strangerPort,
        "CN=someone-else,OU=Eucalyptus,O=Cloud,C=US");
  }

  /**
   * A qemu-storage-daemon exporting a new 64 MiB file {@code dir/name} as {@code name} over TLS
   * ({@code tls}: ca-cert.pem, server-cert.pem, server-key.pem) to the client whose DN is
   * {@code admitted}, on {@link #STORAGE_HOST}:{@code port}.
   */
  static Process serve(Path dir, Path tls, String name, int port, String admitted) throws Exception {
    Path volume = dir.resolve(name);
    assertEquals(0, new com.eucalyptus.runtime.exec.CommandRunner().run("truncate", "-s", "64M", volume.toString()).exitCode());
    List<String> cmd = List.of("qemu-storage-daemon",
        "--object", "tls-creds-x509,id=tls0,dir=" + tls + ",endpoint=server,verify-peer=on",
        "--object", "{\"qom-type\":\"authz-simple\",\"id\":\"authz0\",\"identity\":\"" + admitted + "\"}",
        "--blockdev", "driver=file,node-name=" + name + ",filename=" + volume,
        "--nbd-server", "addr.type=inet,addr.host=" + STORAGE_HOST + ",addr.port=" + port + ",tls-creds=tls0,tls-authz=authz0",
        "--export", "type=nbd,id=export0,node-name=" + name + ",name=" + name + ",writable=on");
    Path log = dir.resolve(name + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (established(":" + port, "LISTEN").isEmpty()) {
      assertTrue(p.isAlive() && System.nanoTime() < end, "qemu-storage-daemon did not listen: " + Files.readString(log));
      Thread.sleep(200);
    }
    return p;
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      GuestBootTest.tearDown();
    } finally {
      for (Process p : new Process[] {storage, stranger}) {
        if (p != null) {
          p.destroy(); // the processes this test started
          p.waitFor();
        }
      }
    }
  }

  /**
   * A server certificate from the cloud CA whose subjectAltName is the storage host's address:
   * QEMU's NBD client checks it against the host of remoteDev.
   */
  static X509Certificate serverCertificate(CertificateAuthority.Issued ca, KeyPair keys, String address) throws Exception {
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(X500Name.getInstance(
        ca.certificate().getSubjectX500Principal().getEncoded()), BigInteger.valueOf(System.nanoTime()),
        Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(1))),
        new X500Name("CN=" + address + ", OU=Eucalyptus, O=Cloud, C=US"), keys.getPublic());
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.iPAddress, address)));
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.keyPair().getPrivate())));
  }

  /**
   * The DN as QEMU's tls-authz sees it (gnutls_x509_crt_get_dn: the RDNs in the certificate's
   * order, which is RFC 2253's reversed).
   */
  static String gnutlsDn(X509Certificate c) {
    List<String> rdns = new ArrayList<>(List.of(c.getSubjectX500Principal().getName("RFC2253").split(",")));
    Collections.reverse(rdns);
    return String.join(",", rdns);
  }

  /** Lines of {@code ss} for TCP sockets in {@code state} whose addresses contain {@code port}. */
  static List<String> established(String port, String state) {
    CommandResult r = new com.eucalyptus.runtime.exec.CommandRunner().run("ss", "-Htnp", "state", state.equals("LISTEN") ? "listening" : "established");
    return r.stdout().lines().filter(l -> l.contains(port)).toList();
  }

  static NcAttachVolumeResponseType attach(String instanceId, String volume, String remote, String localDev) throws Exception {
    NcAttachVolumeType t = new NcAttachVolumeType();
    t.setCorrelationId("attach");
    t.setUserId("admin");
    t.setInstanceId(instanceId);
    t.setVolumeId(volume);
    t.setRemoteDev(remote);
    t.setLocalDev(localDev);
    NcAttachVolume r = new NcAttachVolume();
    r.setNcAttachVolume(t);
    return GuestBootTest.stub(GuestBootTest.port).ncAttachVolume(r).getNcAttachVolumeResponse();
  }

  static NcDetachVolumeResponseType detach(String instanceId, String volume, boolean force) throws Exception {
    NcDetachVolumeType t = new NcDetachVolumeType();
    t.setCorrelationId("detach");
    t.setUserId("admin");
    t.setInstanceId(instanceId);
    t.setVolumeId(volume);
    t.setRemoteDev(remoteDev);
    t.setLocalDev("/dev/sdb");
    t.setForce(force);
    NcDetachVolume r = new NcDetachVolume();
    r.setNcDetachVolume(t);
    return GuestBootTest.stub(GuestBootTest.port).ncDetachVolume(r).getNcDetachVolumeResponse();
  }

  static String domblklist(String id) {
    return GuestBootTest.SH.run("virsh", "-c", "qemu:///system", "domblklist", id).stdout();
  }

  /** QEMU's connections to the export (the guest's process on one side, the daemon on the other). */
  static List<String> qemuConnections() {
    return established(":" + exportPort, "ESTABLISHED").stream().filter(l -> l.contains("qemu-system")).toList();
  }

  @Test
  void aVolumeIsHotPluggedOverTlsSurvivesAnNcRestartAndIsUnplugged() throws Exception {
    String id = "i-" + GuestBootTest.RUN + "03";
    GuestBootTest.run(id);
    GuestBootTest.awaitExtant(id);
    // the guest's kernel is up (and its ACPI hot-plug with it) once the image's init says READY
    GuestBootTest.await(id, "the image's READY line", GuestBootTest.BOOT,
        GuestBootTest.quietly(() -> GuestBootTest.console(id).contains("EUCA-TEST-IMAGE-READY")));

    assertTrue(attach(id, volumeId, remoteDev, "/dev/sdb").get_return());
    // vdb and vdc are the guest's ephemeral and swap disks: the hint sdb becomes the first free one
    String disks = domblklist(id);
    assertTrue(disks.lines().anyMatch(l -> l.matches("\\s*vdd\\s+" + volumeId + "\\s*")), disks);
    String xml = GuestBootTest.SH.run("virsh", "-c", "qemu:///system", "dumpxml", id).stdout();
    assertTrue(xml.contains("<serial>" + volumeId + "</serial>") && xml.contains("tls='yes'"), xml);
    // QEMU opened the export over TLS (the daemon admits only the node's DN), and the guest
    // found a new 64 MiB virtio disk (131072 sectors) through it
    GuestBootTest.await(id, "QEMU connected to the export", Duration.ofSeconds(30), () -> !qemuConnections().isEmpty());
    GuestBootTest.await(id, "the guest's kernel finding the 64 MiB disk", GuestBootTest.BOOT,
        GuestBootTest.quietly(() -> GuestBootTest.console(id).contains("131072 512-byte logical blocks")));
    InstanceType described = GuestBootTest.describe(GuestBootTest.port, id);
    assertEquals(1, described.getVolumes().length);
    VolumeType v = described.getVolumes()[0];
    assertEquals(volumeId, v.getVolumeId());
    assertEquals(remoteDev, v.getRemoteDev());
    assertEquals("/dev/sdb", v.getLocalDev());
    assertEquals("attached", v.getState());

    // refusals, each with its reason; the NC and the attached volume carry on
    AxisFault used = assertThrows(AxisFault.class, () -> attach(id, "vol-" + GuestBootTest.RUN + "02",
        "nbd://" + STORAGE_HOST + ":" + exportPort + "/other", "/dev/sdb"));
    assertTrue(used.getMessage().startsWith("InvalidParameterValue: /dev/sdb is already in use on " + id), used.getMessage());
    AxisFault again = assertThrows(AxisFault.class, () -> attach(id, "vol-" + GuestBootTest.RUN + "02", remoteDev, "/dev/sdc"));
    assertTrue(again.getMessage().startsWith("VolumeInUse: the export " + remoteDev), again.getMessage());
    AxisFault notNbd = assertThrows(AxisFault.class, () -> attach(id, "vol-" + GuestBootTest.RUN + "02",
        "/dev/etherd/e0.1", "/dev/sdc"));
    assertTrue(notNbd.getMessage().startsWith("InvalidParameterValue: remoteDev \"/dev/etherd/e0.1\" is not an nbd:// URL"),
        notNbd.getMessage());
    AxisFault nobody = assertThrows(AxisFault.class, () -> attach("i-" + GuestBootTest.RUN + "FF", volumeId, remoteDev, "/dev/sdb"));
    assertTrue(nobody.getMessage().startsWith("InvalidInstanceID.NotFound: no instance i-" + GuestBootTest.RUN + "FF"),
        nobody.getMessage());
    // an export that does not admit this node: libvirt's refusal is the fault's reason, nothing is left over
    String refused = "nbd://" + STORAGE_HOST + ":" + strangerPort + "/" + volumeId + "x";
    AxisFault tls = assertThrows(AxisFault.class, () -> attach(id, volumeId + "x", refused, "/dev/sdc"));
    assertTrue(tls.getMessage().startsWith("attaching " + volumeId + "x (" + refused + ") to " + id + " failed: "),
        tls.getMessage());
    assertFalse(domblklist(id).contains(volumeId + "x"), domblklist(id));
    assertEquals(1, GuestBootTest.describe(GuestBootTest.port, id).getVolumes().length);

    // a restarted NC reports the attachment from the instance's record; the guest kept its disk
    GuestBootTest.nc.stop();
    GuestBootTest.nc = NodeControllerMain.start(GuestBootTest.paths,
        GuestBootTest.conf(GuestBootTest.port, GuestBootTest.home.resolve("instances")));
    InstanceType adopted = GuestBootTest.describe(GuestBootTest.port, id);
    assertEquals("Extant", adopted.getStateName());
    assertEquals(1, adopted.getVolumes().length);
    assertEquals(volumeId, adopted.getVolumes()[0].getVolumeId());
    assertEquals("/dev/sdb", adopted.getVolumes()[0].getLocalDev());
    assertEquals("attached", adopted.getVolumes()[0].getState());
    assertFalse(qemuConnections().isEmpty(), "the guest's connection to the export outlived the NC");

    // detach: the guest releases the disk (ACPI hot-unplug), QEMU closes the export
    assertTrue(detach(id, volumeId, false).get_return());
    assertFalse(domblklist(id).contains(volumeId), domblklist(id));
    assertNull(GuestBootTest.describe(GuestBootTest.port, id).getVolumes());
    GuestBootTest.await(id, "QEMU closing the export", Duration.ofSeconds(30), () -> qemuConnections().isEmpty());
    AxisFault twice = assertThrows(AxisFault.class, () -> detach(id, volumeId, false));
    assertTrue(twice.getMessage().startsWith("InvalidAttachment.NotFound: volume " + volumeId + " is not attached"),
        twice.getMessage());
    assertTrue(storage.isAlive(), "the export is the storage side's to end");
  }
}
