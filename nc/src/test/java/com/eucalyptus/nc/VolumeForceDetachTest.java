package com.eucalyptus.nc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.config.EucaPaths;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.wsdl.nc.EucalyptusNCStub;
import com.eucalyptus.wsdl.nc.types.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.apache.axis2.AxisFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Detaching from a guest that never releases the disk: a real domain with no operating system
 * (QEMU's firmware only, so nobody answers the ACPI unplug request), taken over by the NC as its
 * own instance (its mark and an instance record, as after an NC restart), and a real TLS export
 * (see {@link VolumeAttachTest}). Without force the detach is refused and the volume stays
 * attached; with force the NC stops reporting it while QEMU keeps the disk, as docs/storage.md
 * says. Boots nothing, so it takes seconds; under the heavy lock like every libvirt test.
 */
class VolumeForceDetachTest {
  static final CommandRunner SH = new CommandRunner();
  static final String RUN = HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(), (byte) new Random().nextInt(),
      (byte) new Random().nextInt()}).toUpperCase();
  static final String ID = "i-" + RUN + "0F";
  static final String VOLUME = "vol-" + RUN + "0F";
  static Path home;
  static Process storage;
  static NodeControllerMain.Running nc;
  static int port;
  static String remoteDev;
  static boolean domainStarted;

  @BeforeAll
  static void setUp() throws Exception {
    Assumptions.assumeTrue(Files.exists(Path.of("/var/run/libvirt/libvirt-sock")), "libvirtd is not running");
    Assumptions.assumeFalse("1".equals(System.getenv("EUCA_SKIP_NETNS_TESTS")), "EUCA_SKIP_NETNS_TESTS=1");
    home = Files.createTempDirectory("euca-nc-force");
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    EucaPaths paths = EucaPaths.at(home);
    paths.ensureVarDirs();
    CertificateAuthority.Issued cloud = CertificateAuthority.newSelfSigned("CN=cloud, OU=Eucalyptus, O=Cloud, C=US");
    CertificateAuthority ca = new CertificateAuthority(cloud.certificate(), cloud.keyPair().getPrivate());
    Pem.writeCertificate(paths.keysDir().resolve("cloud-cert.pem"), cloud.certificate());
    CertificateAuthority.Issued node = ca.issue("CN=node, OU=Eucalyptus, O=Cloud, C=US");
    Pem.writeCertificate(paths.keysDir().resolve("node-cert.pem"), node.certificate());
    Pem.writePrivateKey(paths.keysDir().resolve("node-pk.pem"), node.keyPair().getPrivate());
    Path tls = Files.createDirectories(home.resolve("storage/tls"));
    KeyPair serverKeys = CertificateAuthority.newKeyPair();
    Pem.writeCertificate(tls.resolve("ca-cert.pem"), cloud.certificate());
    Pem.writeCertificate(tls.resolve("server-cert.pem"),
        VolumeAttachTest.serverCertificate(cloud, serverKeys, VolumeAttachTest.STORAGE_HOST));
    Pem.writePrivateKey(tls.resolve("server-key.pem"), serverKeys.getPrivate());
    int exportPort = GuestBootTest.freePort();
    storage = VolumeAttachTest.serve(home.resolve("storage"), tls, VOLUME, exportPort, VolumeAttachTest.gnutlsDn(node.certificate()));
    remoteDev = "nbd://" + VolumeAttachTest.STORAGE_HOST + ":" + exportPort + "/" + VOLUME;

    // the instance as an NC leaves it: its record in INSTANCE_PATH/<user>/<id>, its domain marked with the NC's owner
    Path instances = home.resolve("instances").toAbsolutePath().normalize();
    Path dir = Files.createDirectories(instances.resolve("admin/" + ID));
    Files.writeString(dir.resolve("instance.properties"), "instanceId=" + ID + "\nreservationId=r-" + RUN + "00\nuserId=admin\n"
        + "imageId=emi-" + RUN + "00\nkernelId=eki-" + RUN + "00\nmemory=32\ncores=1\ndisk=1\nvlan=0\nlaunchIndex=0\n"
        + "groupNames=default\nlaunchTime=" + Instant.now() + "\n");
    Path xml = home.resolve("domain.xml");
    Files.writeString(xml, "<domain type='qemu'><name>" + ID + "</name><metadata><euca:node "
        + "xmlns:euca='http://eucalyptus.ucsb.edu/nc/1' owner='nc:" + instances + "'/></metadata>"
        + "<memory unit='MiB'>32</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><features><acpi/></features>"
        + "<devices/></domain>");
    CommandResult created = SH.run("virsh", "-c", "qemu:///system", "create", xml.toString());
    if (created.exitCode() != 0) {
      Assumptions.abort("libvirt cannot run QEMU here: " + created.stderr());
    }
    domainStarted = true;
    port = GuestBootTest.freePort();
    nc = NodeControllerMain.start(paths, EucalyptusConf.of(Map.of("NC_PORT", String.valueOf(port), "HYPERVISOR", "qemu",
        "LIBVIRT_URI", "qemu:///system", "INSTANCE_PATH", instances.toString(), "ENABLE_WS_SECURITY", "N",
        "NC_VOLUME_DETACH_WAIT", "3")));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (nc != null) {
      nc.stop();
    }
    if (domainStarted) {
      SH.run("virsh", "-c", "qemu:///system", "destroy", ID);
    }
    if (storage != null) {
      storage.destroy(); // the process this test started
      storage.waitFor();
    }
    if (home != null) {
      SH.run("rm", "-rf", "--one-file-system", home.toString());
    }
  }

  static EucalyptusNCStub stub() throws Exception {
    return SoapClients.secure(new EucalyptusNCStub(SoapClients.clientContext(),
        "http://127.0.0.1:" + port + "/axis2/services/EucalyptusNC"), null, Duration.ofSeconds(60));
  }

  static InstanceType describe() throws Exception {
    NcDescribeInstancesType t = new NcDescribeInstancesType();
    t.setInstanceIds(new String[] {ID});
    NcDescribeInstances r = new NcDescribeInstances();
    r.setNcDescribeInstances(t);
    return stub().ncDescribeInstances(r).getNcDescribeInstancesResponse().getInstances()[0];
  }

  static void detach(boolean force) throws Exception {
    NcDetachVolumeType t = new NcDetachVolumeType();
    t.setInstanceId(ID);
    t.setVolumeId(VOLUME);
    t.setRemoteDev(remoteDev);
    t.setLocalDev("/dev/sdf");
    t.setForce(force);
    NcDetachVolume r = new NcDetachVolume();
    r.setNcDetachVolume(t);
    assertTrue(stub().ncDetachVolume(r).getNcDetachVolumeResponse().get_return());
  }

  static String domblklist() {
    return SH.run("virsh", "-c", "qemu:///system", "domblklist", ID).stdout();
  }

  @Test
  void aGuestThatDoesNotReleaseTheDiskKeepsItUnlessTheDetachIsForced() throws Exception {
    assertEquals("Extant", describe().getStateName(), "the NC took the instance over");
    NcAttachVolumeType a = new NcAttachVolumeType();
    a.setInstanceId(ID);
    a.setVolumeId(VOLUME);
    a.setRemoteDev(remoteDev);
    a.setLocalDev("/dev/sdf");
    NcAttachVolume ar = new NcAttachVolume();
    ar.setNcAttachVolume(a);
    assertTrue(stub().ncAttachVolume(ar).getNcAttachVolumeResponse().get_return());
    // the guest has no disks of its own: the hint's letter is free
    assertTrue(domblklist().lines().anyMatch(l -> l.matches("\\s*vdf\\s+" + VOLUME + "\\s*")), domblklist());

    AxisFault kept = assertThrows(AxisFault.class, () -> detach(false));
    assertTrue(kept.getMessage().startsWith("IncorrectState: the guest of " + ID + " has not released volume " + VOLUME
        + " (vdf) within 3 s; it stays attached"), kept.getMessage());
    assertEquals("attached", describe().getVolumes()[0].getState());
    assertTrue(domblklist().contains(VOLUME));

    // force: no longer reported; libvirt cannot take the disk from the guest, so QEMU still has it
    detach(true);
    assertNull(describe().getVolumes());
    assertTrue(domblklist().contains(VOLUME), domblklist());
    assertFalse(VolumeAttachTest.established(":" + remoteDev.replaceAll(".*:(\\d+)/.*", "$1"), "ESTABLISHED").isEmpty(),
        "QEMU keeps its connection until the export ends");
  }
}
