package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.ImageBundles;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.Shell;
import com.eucalyptus.itests.support.WalrusCloud;
import com.eucalyptus.nc.images.WalrusImageClient;
import com.eucalyptus.nc.images.WalrusRequestSigner;
import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.runtime.soap.SoapClients;
import com.eucalyptus.runtime.soap.WsSecurityKeys;
import com.eucalyptus.wsdl.nc.EucalyptusNCStub;
import com.eucalyptus.wsdl.nc.types.InstanceType;
import com.eucalyptus.wsdl.nc.types.NcDescribeInstances;
import com.eucalyptus.wsdl.nc.types.NcDescribeInstancesType;
import com.eucalyptus.wsdl.nc.types.NcRunInstance;
import com.eucalyptus.wsdl.nc.types.NcRunInstanceType;
import com.eucalyptus.wsdl.nc.types.NcTerminateInstance;
import com.eucalyptus.wsdl.nc.types.NcTerminateInstanceType;
import com.eucalyptus.wsdl.nc.types.VirtualMachineType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Node Controller's image fetch against the real Walrus image service: images bundled,
 * uploaded and registered with the installed tools/euca-* into the real CLC; the NC's
 * WalrusImageClient, signing with the node key the installed cloud gives the node
 * ({@code var/lib/eucalyptus/keys/node-pk.pem} and {@code node-cert.pem}, which euca_conf
 * --addnode/--synckeys copy to a node; on this single host the NC reads the same folder), fetches
 * them compressed and gets exactly the image's bytes; requests signed with another certificate
 * or another key are refused. Then the real NC daemon, started from its init.d script, is told
 * by ncRunInstance (signed as the CC signs it) to run an instance of those images, fetches all
 * three from the CLC into its cache and reports the instance Extant. Its hypervisor is libvirt's
 * test driver (test:///default: libvirt's in-process hypervisor, which keeps domains but runs
 * nothing), because booting a guest is GuestBootTest's job and the image path is this test's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeImageFetchIT {
  static CloudInstallation cloud;
  static Path work;
  static Path adminCreds;
  static String walrusUrl;
  static Path kernelRaw;
  static Path ramdiskRaw;
  static Path rootRaw;
  static String kernelId;
  static String ramdiskId;
  static String machineId;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void start() throws IOException {
    cloud = WalrusCloud.startClcOnly("ncimages");
    work = Files.createDirectories(cloud.home().resolve("nc-images-work"));
    adminCreds = cloud.credentials("admin");
    walrusUrl = Files.readAllLines(adminCreds.resolve("eucarc")).stream().filter(l -> l.startsWith("export S3_URL="))
        .map(l -> l.substring("export S3_URL=".length()).replace("'", "").replace("\"", "").strip()).findFirst().orElseThrow();
    kernelRaw = WalrusCloud.randomFile(work.resolve("raw"), "vmlinuz-nc", 3_000_000, 11);
    ramdiskRaw = WalrusCloud.randomFile(work.resolve("raw"), "initrd-nc", 1_000_001, 12);
    rootRaw = ext4Image(work.resolve("raw/root-nc.img"), 8);
    kernelId = bundleUploadRegister(kernelRaw, "nc-kernels", "--kernel true -r x86_64");
    ramdiskId = bundleUploadRegister(ramdiskRaw, "nc-kernels", "--ramdisk true -r x86_64");
    machineId = bundleUploadRegister(rootRaw, "nc-images", "-r x86_64 --kernel " + kernelId + " --ramdisk " + ramdiskId);
  }

  @AfterAll
  static void stop() {
    if (cloud != null) {
      cloud.close();
    }
  }

  /** An ext4 file system of {@code mb} MB holding a file of random bytes (mke2fs -d, no mount). */
  static Path ext4Image(Path file, int mb) {
    Path content = WalrusCloud.randomFile(file.resolveSibling("root-content/data"), "random.bin", 3_000_000, 13).getParent();
    Shell.run(List.of("mke2fs", "-q", "-F", "-t", "ext4", "-d", content.toString(), file.toString(), mb + "M"), cloud.env(), work,
        Duration.ofMinutes(1)).assertOk();
    return file;
  }

  /** euca-bundle-image, euca-upload-bundle, euca-register as the admin; returns the image id. */
  static String bundleUploadRegister(Path image, String bucket, String extra) {
    return ImageBundles.bundleUploadRegister(cloud, adminCreds, work, image, bucket, extra);
  }

  /** The manifest URL as the CC hands it to the NC: Walrus's URL + the image's location. */
  static URI manifestUrl(String location) {
    return URI.create(walrusUrl + "/" + location);
  }

  static WalrusRequestSigner nodeSigner() throws Exception {
    return new WalrusRequestSigner(Pem.readPrivateKey(cloud.keysDir().resolve("node-pk.pem")),
        Pem.readCertificate(cloud.keysDir().resolve("node-cert.pem")));
  }

  static String sha256(Path file) {
    return WalrusCloud.sha256(file);
  }

  static String sha1(Path file) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-1");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  @Test
  @Order(1)
  void theNodesImageClientGetsExactlyTheImagesBytes() throws Exception {
    WalrusImageClient client = new WalrusImageClient(nodeSigner(), 1, Duration.ofSeconds(1));
    for (Map.Entry<Path, String> e : Map.of(rootRaw, "nc-images/root-nc.img.manifest.xml",
        kernelRaw, "nc-kernels/vmlinuz-nc.manifest.xml", ramdiskRaw, "nc-kernels/initrd-nc.manifest.xml").entrySet()) {
      Path out = work.resolve("fetched-" + e.getKey().getFileName());
      WalrusImageClient.FetchedImage f = client.fetch(manifestUrl(e.getValue()), out);
      assertEquals(Files.size(e.getKey()), f.size(), e.getValue());
      assertEquals(sha256(e.getKey()), sha256(out), "the decrypted image of " + e.getValue() + " is the bundled file");
      assertEquals(sha1(e.getKey()), f.sha1());
      assertTrue(f.manifest().contains("<manifest"), f.manifest());
    }
  }

  @Test
  @Order(2)
  void theAnswerToTheNodesRequestIsGzippedAsItAsks() throws Exception {
    URI manifest = manifestUrl("nc-images/root-nc.img.manifest.xml");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(manifest + "?IsCompressed=true")).GET()
        .header("EucaOperation", "GetDecryptedImage");
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(nodeSigner().sign(b, "GET", manifest.getRawPath()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), new String(r.body()));
    byte[] body = r.body();
    assertTrue(body.length > 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b, "a gzip stream");
    assertTrue(body.length < Files.size(rootRaw), "compressed: " + body.length + " bytes for " + Files.size(rootRaw));
    Path unzipped = work.resolve("gunzipped-root");
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
      Files.copy(in, unzipped);
    }
    assertEquals(sha256(rootRaw), sha256(unzipped));
  }

  @Test
  @Order(3)
  void requestsSignedWithAnotherCertificateOrKeyAreRefused() throws Exception {
    CertificateAuthority.Issued stranger = CertificateAuthority.newSelfSigned("CN=node, OU=Eucalyptus, O=Cloud, C=US");
    WalrusRequestSigner strangerSigner = new WalrusRequestSigner(stranger.keyPair().getPrivate(), stranger.certificate());
    // the node's certificate, signed with a key that is not its own
    WalrusRequestSigner wrongKey = new WalrusRequestSigner(stranger.keyPair().getPrivate(),
        Pem.readCertificate(cloud.keysDir().resolve("node-cert.pem")));
    URI manifest = manifestUrl("nc-images/root-nc.img.manifest.xml");
    String manifestText = new WalrusImageClient(nodeSigner(), 1, Duration.ofSeconds(1)).fetchManifest(manifest);
    for (Map.Entry<WalrusRequestSigner, String> c : Map.of(strangerSigner, "EucaCert is not the node certificate",
        wrongKey, "EucaSignature does not verify").entrySet()) {
      WalrusImageClient client = new WalrusImageClient(c.getKey(), 3, Duration.ofSeconds(1));
      Path out = work.resolve("refused.img");
      WalrusImageClient.ImageFetchException image = assertThrows(WalrusImageClient.ImageFetchException.class,
          () -> client.fetch(manifest, manifestText, out));
      assertTrue(image.getMessage().contains("HTTP 403") && image.getMessage().contains("AccessDenied")
          && image.getMessage().contains(c.getValue()), image.getMessage());
      assertFalse(image.retryable(), "a refusal is not retried");
      assertFalse(Files.exists(out) || Files.exists(work.resolve("refused.img.part")), "nothing written");
      WalrusImageClient.ImageFetchException manifestRefused = assertThrows(WalrusImageClient.ImageFetchException.class,
          () -> client.fetchManifest(manifest));
      assertTrue(manifestRefused.getMessage().contains("HTTP 403"), manifestRefused.getMessage());
    }
  }

  /**
   * asctime pads a one-digit day with a space ("Tue Nov  4 09:05:01 2026"), so on the 1st to 9th
   * of every month the NC signs a Date with two spaces in a row; Walrus must verify the signature
   * over the header exactly as sent. Today's date is used (the 15-minute window), with the same
   * double space put before the time.
   */
  @Test
  @Order(4)
  void aDateWithAsctimesDoubleSpaceVerifies() throws Exception {
    URI manifest = manifestUrl("nc-images/root-nc.img.manifest.xml");
    String date = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
        .format(java.time.format.DateTimeFormatter.ofPattern("EEE MMM d  HH:mm:ss yyyy", java.util.Locale.US));
    java.security.Signature rsa = java.security.Signature.getInstance("SHA1withRSA");
    rsa.initSign(Pem.readPrivateKey(cloud.keysDir().resolve("node-pk.pem")));
    rsa.update(("GET\n" + date + "\n" + manifest.getRawPath() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    HttpRequest req = HttpRequest.newBuilder(URI.create(manifest + "?IsCompressed=true")).GET()
        .header("EucaOperation", "GetDecryptedImage").header("Authorization", "Euca").header("Date", date)
        .header("EucaCert", java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(cloud.keysDir().resolve("node-cert.pem"))))
        .header("EucaSignature", java.util.Base64.getEncoder().encodeToString(rsa.sign())).build();
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), date + ": " + new String(r.body()));
  }

  // ---------------------------------------------------------------- the real NC daemon

  static EucalyptusNCStub nc() throws Exception {
    WsSecurityKeys cc = WsSecurityKeys.load(cloud.keysDir(), "cluster-pk.pem", "cluster-cert.pem", "node-cert.pem");
    return SoapClients.secure(new EucalyptusNCStub(SoapClients.clientContext(),
        "http://127.0.0.1:" + CloudInstallation.NC_PORT + "/axis2/services/EucalyptusNC"), cc, Duration.ofSeconds(60));
  }

  static String stateOf(String id) {
    try {
      NcDescribeInstancesType t = new NcDescribeInstancesType();
      t.setCorrelationId("d");
      t.setUserId("admin");
      t.setInstanceIds(new String[] {id});
      NcDescribeInstances r = new NcDescribeInstances();
      r.setNcDescribeInstances(t);
      InstanceType[] all = nc().ncDescribeInstances(r).getNcDescribeInstancesResponse().getInstances();
      return all == null || all.length == 0 ? "not listed" : all[0].getStateName();
    } catch (Exception e) {
      return "ncDescribeInstances failed: " + e.getMessage();
    }
  }

  static String ncLogAbout(String id) {
    try {
      return String.join(" / ", Files.readAllLines(cloud.logDir().resolve("nc.log")).stream()
          .filter(l -> l.contains(id) || l.contains(" ERROR ") || l.contains(" WARN ")).toList());
    } catch (IOException e) {
      return "(no nc.log: " + e.getMessage() + ")";
    }
  }

  @Test
  @Order(5)
  void theNodeControllerFetchesTheRegisteredImagesFromTheCloud() throws Exception {
    // the single-host set-up: the NC reads the keys folder the CLC wrote (euca_conf --addnode of
    // this host copies nothing more); its hypervisor is libvirt's test driver
    cloud.setConf(Map.of("LIBVIRT_URI", "test:///default", "VNET_BRIDGE", "", "SWAP_SIZE", "16"));
    cloud.eucaConf("--addnode", "127.0.0.1").assertOk();
    for (String f : List.of("node-cert.pem", "node-pk.pem", "cluster-cert.pem", "cloud-cert.pem")) {
      assertTrue(Files.isReadable(cloud.keysDir().resolve(f)), f + " is where the NC reads it");
    }
    cloud.start("nc");
    CloudInstallation.await(Duration.ofSeconds(60), "the NC on port " + CloudInstallation.NC_PORT,
        () -> CloudInstallation.portOpen(CloudInstallation.NC_PORT) ? Boolean.TRUE : null);

    String id = "i-4E43F001";
    NcRunInstanceType t = new NcRunInstanceType();
    t.setCorrelationId("nc-images");
    t.setUserId("admin");
    t.setInstanceId(id);
    t.setReservationId("r-4E43F000");
    t.setImageId(machineId);
    t.setImageURL(manifestUrl("nc-images/root-nc.img.manifest.xml").toString());
    t.setKernelId(kernelId);
    t.setKernelURL(manifestUrl("nc-kernels/vmlinuz-nc.manifest.xml").toString());
    t.setRamdiskId(ramdiskId);
    t.setRamdiskURL(manifestUrl("nc-kernels/initrd-nc.manifest.xml").toString());
    VirtualMachineType vm = new VirtualMachineType();
    vm.setMemory(64);
    vm.setCores(1);
    vm.setDisk(1);
    t.setInstanceType(vm);
    t.setKeyName("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 nc-images-it");
    t.setPrivateMacAddress("d0:0d:4e:43:f0:01");
    t.setPublicMacAddress("d0:0d:4e:43:f0:01");
    t.setVlan(0);
    t.setLaunchIndex("0");
    t.setGroupNames(new String[] {"default"});
    NcRunInstance run = new NcRunInstance();
    run.setNcRunInstance(t);
    assertTrue(nc().ncRunInstance(run).getNcRunInstanceResponse().get_return());

    long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    String state;
    while (!"Extant".equals(state = stateOf(id))) {
      if ("Teardown".equals(state) || System.nanoTime() > end) {
        throw new AssertionError(id + " is " + state + " -- nc.log: " + ncLogAbout(id));
      }
      Thread.sleep(500);
    }
    Path cache = cloud.home().resolve("instances/eucalyptus/cache");
    assertEquals(sha256(rootRaw), sha256(cache.resolve(machineId).resolve("image")), "the machine image in the NC's cache");
    assertEquals(sha256(kernelRaw), sha256(cache.resolve(kernelId).resolve("image")), "the kernel in the NC's cache");
    assertEquals(sha256(ramdiskRaw), sha256(cache.resolve(ramdiskId).resolve("image")), "the ramdisk in the NC's cache");
    String log = Files.readString(cloud.logDir().resolve("nc.log"));
    assertTrue(log.contains("fetched " + manifestUrl("nc-images/root-nc.img.manifest.xml")), log);

    NcTerminateInstanceType tt = new NcTerminateInstanceType();
    tt.setInstanceId(id);
    tt.setCorrelationId("t");
    tt.setUserId("admin");
    NcTerminateInstance term = new NcTerminateInstance();
    term.setNcTerminateInstance(tt);
    assertEquals("Extant", nc().ncTerminateInstance(term).getNcTerminateInstanceResponse().getPreviousState());
  }
}
