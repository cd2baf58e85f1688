package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.Shell;
import com.eucalyptus.itests.support.WalrusCloud;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 4's acceptance: bundles made by the project's tools (tools/euca-*, installed into
 * usr/bin) and by a shell pipeline of tar, gzip and openssl, uploaded to Walrus, registered and
 * described with the tools and with python3-boto, decrypted by Walrus's GetDecryptedImage as a
 * Node Controller asks for it (a curl + openssl request signed with the node key), refusals of
 * tampered or foreign bundles, launch permissions, disabling, and the image cache.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImagesIT {
  static CloudInstallation cloud;
  static Path work;
  static Path adminCreds;
  static Path aliceCreds;
  static Path bobCreds;
  static Path scripts;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @BeforeAll
  static void start() throws IOException {
    cloud = WalrusCloud.startClcOnly("images");
    work = Files.createDirectories(cloud.home().resolve("images-work"));
    scripts = Files.createDirectories(work.resolve("scripts"));
    for (String s : List.of("nc-request.sh", "pipeline-bundle.sh", "images_boto.py")) {
      try (InputStream in = ImagesIT.class.getResourceAsStream("/images/" + s)) {
        Files.copy(in, scripts.resolve(s));
      }
    }
    adminCreds = cloud.credentials("admin");
    cloud.eucaConf("--set-property", "walrus.max.buckets.per.user=20").assertOk();
    WalrusCloud.addUser(cloud, "alice", "alice@example.com");
    aliceCreds = cloud.home().resolve("creds-alice");
    WalrusCloud.addUser(cloud, "bob", "bob@example.com");
    bobCreds = cloud.home().resolve("creds-bob");
  }

  @AfterAll
  static void stop() {
    if (cloud != null) {
      cloud.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Runs a bash script with the user's eucarc sourced and the installed tools on the PATH. */
  static Shell.Result as(Path creds, String script) {
    String user = creds.getFileName().toString().substring("creds-".length());
    String full = "set -e; . '" + creds.resolve("eucarc") + "'; export EC2_USER_ID=" + user + "; export PATH='"
        + cloud.home().resolve("usr/bin") + "':$PATH; cd '" + work + "'; " + script;
    return Shell.run(List.of("bash", "-c", full), cloud.env(), work, Duration.ofMinutes(5));
  }

  static Shell.Result boto(Path creds, String... args) {
    CloudInstallation.Credentials c = CloudInstallation.readEucarc(creds);
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", scripts.resolve("images_boto.py").toString(),
        c.ec2Url(), c.accessKey(), c.secretKey()));
    cmd.addAll(List.of(args));
    return Shell.run(cmd, cloud.env(), work, Duration.ofMinutes(2));
  }

  /** Bundles (euca-bundle-image), uploads (euca-upload-bundle) and registers (euca-register); returns the id. */
  static String bundleUploadRegister(Path creds, Path image, String bucket, String extra) {
    String name = image.getFileName().toString();
    Path dest = work.resolve("bundle-" + bucket + "-" + name);
    Shell.Result r = as(creds, "mkdir -p '" + dest + "'; euca-bundle-image -i '" + image + "' -d '" + dest + "' " + extra
        + " >/dev/null; euca-upload-bundle -b " + bucket + " -m '" + dest.resolve(name + ".manifest.xml")
        + "' >/dev/null; euca-register " + bucket + "/" + name + ".manifest.xml");
    r.assertOk();
    Matcher m = Pattern.compile("IMAGE\\t(e[mkr]i-[0-9A-F]{8})").matcher(r.stdout());
    assertTrue(m.find(), r.all());
    return m.group(1);
  }

  static Path image(String name, long size, long seed) {
    return WalrusCloud.randomFile(work.resolve("raw"), name, size, seed);
  }

  /** A request signed as the NC signs it; returns the HTTP status, the body in {@code out}. */
  static int nc(String op, String path, Path out) {
    return nc(op, path, out, cloud.keysDir().resolve("node-cert.pem"), cloud.keysDir().resolve("node-pk.pem"));
  }

  static int nc(String op, String path, Path out, Path cert, Path key) {
    Shell.Result r = Shell.run(List.of("bash", scripts.resolve("nc-request.sh").toString(), op,
        "/services/Walrus/" + path, out.toString(), cert.toString(), key.toString()), cloud.env(), work, Duration.ofMinutes(5));
    r.assertOk();
    return Integer.parseInt(r.stdout().trim());
  }

  static String header(Path out, String name) {
    try {
      for (String line : Files.readAllLines(Path.of(out + ".headers"))) {
        if (line.toLowerCase().startsWith(name.toLowerCase() + ":")) {
          return line.substring(name.length() + 1).trim();
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long decryptionsLogged(String what) {
    try (Stream<String> lines = Files.lines(cloud.logDir().resolve("cloud-output.log"))) {
      return lines.filter(l -> l.contains("image cache: decrypting " + what + " (decryption #")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> cacheFiles() {
    try (Stream<Path> s = Files.list(WalrusCloud.bukkits(cloud).resolve("imagecache"))) {
      return s.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, String[]> describe(Path creds, String... args) {
    List<String> a = new ArrayList<>(List.of("describe"));
    a.addAll(List.of(args));
    Shell.Result r = boto(creds, a.toArray(String[]::new));
    r.assertOk();
    Map<String, String[]> out = new HashMap<>();
    for (String line : r.stdout().split("\n")) {
      if (!line.isBlank()) {
        String[] f = line.split("\t", -1);
        out.put(f[0], f);
      }
    }
    return out;
  }

  static String kernelId;
  static String ramdiskId;
  static String machineId;
  static Path machineRaw;

  // ---------------------------------------------------------------- tests

  @Test
  @Order(1)
  void kernelRamdiskAndMachineImageWithTheTools() {
    kernelId = bundleUploadRegister(adminCreds, image("vmlinuz-test", 2_000_000, 1), "kernels", "--kernel true -r x86_64");
    ramdiskId = bundleUploadRegister(adminCreds, image("initrd-test", 1_000_000, 2), "ramdisks", "--ramdisk true -r x86_64");
    machineRaw = image("machine.img", 4_000_000, 3);
    machineId = bundleUploadRegister(aliceCreds, machineRaw, "alice-images",
        "-r x86_64 --kernel " + kernelId + " --ramdisk " + ramdiskId);
    assertTrue(kernelId.startsWith("eki-") && ramdiskId.startsWith("eri-") && machineId.startsWith("emi-"),
        kernelId + " " + ramdiskId + " " + machineId);

    // python3-boto sees the fields of the 2008-12-01 API
    String[] k = describe(adminCreds, kernelId).get(kernelId);
    assertEquals(List.of(kernelId, "kernels/vmlinuz-test.manifest.xml", "available", "admin", "False", "x86_64", "kernel"),
        List.of(k).subList(0, 7));
    assertEquals("ramdisk", describe(adminCreds, ramdiskId).get(ramdiskId)[6]);
    String[] m = describe(aliceCreds, machineId).get(machineId);
    assertEquals(List.of(machineId, "alice-images/machine.img.manifest.xml", "available", "alice", "False", "x86_64",
        "machine", kernelId, ramdiskId), List.of(m).subList(0, 9));

    // the tool's own listing
    Shell.Result r = as(aliceCreds, "euca-describe-images " + machineId);
    r.assertOk();
    assertTrue(r.stdout().contains(machineId) && r.stdout().contains("alice-images/machine.img.manifest.xml"), r.all());

    // the kernel and ramdisk are private to the admin until shared
    assertFalse(describe(aliceCreds).containsKey(kernelId));
    assertTrue(boto(aliceCreds, "describe", kernelId).stdout().contains("InvalidAMIID.NotFound"));
  }

  @Test
  @Order(2)
  void aNonAdminCannotRegisterAKernelOrRamdisk() {
    Path k = image("alice-kernel", 300_000, 4);
    Shell.Result r = as(aliceCreds, "mkdir -p ak; euca-bundle-image -i '" + k + "' -d ak --kernel true >/dev/null; "
        + "euca-upload-bundle -b alice-kernels -m ak/alice-kernel.manifest.xml >/dev/null; "
        + "euca-register alice-kernels/alice-kernel.manifest.xml");
    assertNotEquals(0, r.exitCode());
    assertTrue(r.stderr().contains("UnauthorizedOperation") && r.stderr().contains("only administrators may register kernel"),
        r.all());
    assertTrue(boto(aliceCreds, "register", "alice-kernels/alice-kernel.manifest.xml").stdout()
        .contains("ERROR UnauthorizedOperation"));
  }

  @Test
  @Order(3)
  void aShellPipelineBundleRegistersAndDecryptsToTheSameBytes() throws Exception {
    Path raw = image("pipeline.img", 12_000_000, 5); // two parts
    Path dest = work.resolve("pipeline");
    Path creds = aliceCreds;
    as(creds, "bash '" + scripts.resolve("pipeline-bundle.sh") + "' '" + raw + "' '" + dest + "' \"$EC2_CERT\" "
        + "\"$EC2_PRIVATE_KEY\" \"$EUCALYPTUS_CERT\" >/dev/null; euca-upload-bundle -b alice-pipeline -m '"
        + dest.resolve("pipeline.img.manifest.xml") + "' >/dev/null").assertOk();
    assertTrue(Files.exists(dest.resolve("pipeline.img.part.01")), "the pipeline made 2 parts");
    Shell.Result reg = boto(creds, "register", "alice-pipeline/pipeline.img.manifest.xml");
    reg.assertOk();
    String id = reg.stdout().trim();
    assertTrue(id.matches("emi-[0-9A-F]{8}"), id);

    // the NC's first step: the manifest itself, by a GET signed with the node key
    Path manifest = work.resolve("pipeline.manifest");
    assertEquals(200, nc("-", "alice-pipeline/pipeline.img.manifest.xml", manifest));
    assertEquals(text(dest.resolve("pipeline.img.manifest.xml")), text(manifest));

    Path out = work.resolve("pipeline.out");
    assertEquals(200, nc("GetDecryptedImage", "alice-pipeline/pipeline.img.manifest.xml", out));
    assertEquals(WalrusCloud.sha256(raw), WalrusCloud.sha256(out));
    assertEquals("12000000", header(out, "x-euca-image-size"));

    // gzipped on request (?IsCompressed=true, as the NC asks)
    Path gz = work.resolve("pipeline.out.gz");
    assertEquals(200, nc("GetDecryptedImage", "alice-pipeline/pipeline.img.manifest.xml?IsCompressed=true", gz));
    Path gunzipped = work.resolve("pipeline.gunzipped");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      Files.copy(in, gunzipped);
    }
    assertEquals(WalrusCloud.sha256(raw), WalrusCloud.sha256(gunzipped));
  }

  @Test
  @Order(4)
  void tamperedPartTamperedManifestAndAnotherUsersManifestAreRefused() throws Exception {
    // a tampered part: the manifest still verifies (registers), GetDecryptedImage names the part
    Path raw = image("tampered.img", 3_000_000, 6);
    Path dest = work.resolve("bundle-tamper");
    as(aliceCreds, "mkdir -p '" + dest + "'; euca-bundle-image -i '" + raw + "' -d '" + dest + "' >/dev/null").assertOk();
    Path part = dest.resolve("tampered.img.part.0");
    byte[] b = Files.readAllBytes(part);
    b[b.length / 2] ^= 1;
    Files.write(part, b);
    as(aliceCreds, "euca-upload-bundle -b alice-tamper -m '" + dest.resolve("tampered.img.manifest.xml") + "' >/dev/null")
        .assertOk();
    boto(aliceCreds, "register", "alice-tamper/tampered.img.manifest.xml").assertOk();
    Path out = work.resolve("tampered.out");
    assertEquals(400, nc("GetDecryptedImage", "alice-tamper/tampered.img.manifest.xml", out));
    String err = text(out);
    assertTrue(err.contains("<Code>CorruptBundle</Code>") && err.contains("PART_DIGEST_MISMATCH")
        && err.contains("tampered.img.part.0"), err);
    assertEquals(List.of(), cacheFiles().stream().filter(p -> !p.toString().endsWith(".img")).toList(),
        "a refused decryption leaves no temporary file");
    assertTrue(cachedState("alice-tamper/tampered.img.manifest.xml").contains("<cached>false</cached>"));

    // a tampered manifest: one character of the signed text changed
    Path raw2 = image("edited.img", 1_000_000, 7);
    Path dest2 = work.resolve("bundle-edited");
    as(aliceCreds, "mkdir -p '" + dest2 + "'; euca-bundle-image -i '" + raw2 + "' -d '" + dest2 + "' -r i386 >/dev/null")
        .assertOk();
    Path manifest = dest2.resolve("edited.img.manifest.xml");
    String text = text(manifest);
    assertTrue(text.contains("<architecture>i386</architecture>"), text);
    Files.writeString(manifest, text.replace("<architecture>i386</architecture>", "<architecture>x86_64</architecture>"));
    as(aliceCreds, "euca-upload-bundle -b alice-edited -m '" + manifest + "' >/dev/null").assertOk();
    Shell.Result r = boto(aliceCreds, "register", "alice-edited/edited.img.manifest.xml");
    assertNotEquals(0, r.exitCode());
    assertTrue(r.stdout().contains("ERROR InvalidManifest") && r.stdout().contains("is not signed by alice"), r.all());

    // a manifest signed by bob, uploaded into alice's bucket and registered by alice
    Path raw3 = image("bobs.img", 1_000_000, 8);
    Path dest3 = work.resolve("bundle-bobs");
    as(bobCreds, "mkdir -p '" + dest3 + "'; euca-bundle-image -i '" + raw3 + "' -d '" + dest3 + "' >/dev/null").assertOk();
    as(aliceCreds, "euca-upload-bundle -b alice-foreign -m '" + dest3.resolve("bobs.img.manifest.xml") + "' >/dev/null")
        .assertOk();
    r = as(aliceCreds, "euca-register alice-foreign/bobs.img.manifest.xml");
    assertNotEquals(0, r.exitCode());
    assertTrue(r.stderr().contains("InvalidManifest") && r.stderr().contains("is not signed by alice"), r.all());
    // bob himself may not register a manifest he cannot read
    assertTrue(boto(bobCreds, "register", "alice-foreign/bobs.img.manifest.xml").stdout().contains("ERROR AuthFailure"));
  }

  @Test
  @Order(5)
  void aPrivateImageIsHiddenFromOthersUntilALaunchPermissionIsAdded() {
    assertFalse(describe(bobCreds).containsKey(machineId));
    assertTrue(boto(bobCreds, "describe", machineId).stdout().contains("ERROR InvalidAMIID.NotFound"));
    assertTrue(boto(bobCreds, "launch", machineId, "add", "bob").stdout().contains("ERROR"), "only the owner changes it");

    boto(aliceCreds, "launch", machineId, "add", "bob").assertOk();
    assertEquals("groups= users=bob", boto(aliceCreds, "attr", machineId, "launchPermission").stdout().trim());
    assertTrue(describe(bobCreds, machineId).containsKey(machineId));
    assertTrue(describe(bobCreds, "--exec", "self").containsKey(machineId));
    assertFalse(describe(bobCreds, "--owner", "self").containsKey(machineId));

    boto(aliceCreds, "launch", machineId, "remove", "bob").assertOk();
    assertFalse(describe(bobCreds).containsKey(machineId));

    boto(aliceCreds, "launch", machineId, "add", "all").assertOk();
    assertEquals("True", describe(bobCreds, machineId).get(machineId)[4]);
    assertEquals("groups=all users=", boto(aliceCreds, "attr", machineId, "launchPermission").stdout().trim());
    boto(aliceCreds, "reset", machineId, "launchPermission").assertOk();
    assertFalse(describe(bobCreds).containsKey(machineId));
    assertEquals("False", describe(aliceCreds, machineId).get(machineId)[4]);
  }

  @Test
  @Order(6)
  void theAdminDisablesAndEnablesAnImage() {
    boto(aliceCreds, "launch", machineId, "add", "all").assertOk();
    assertTrue(describe(bobCreds).containsKey(machineId));
    Shell.Result r = cloud.eucaConf("--disable-image", machineId);
    r.assertOk();
    assertTrue(r.stdout().contains("image " + machineId + " disabled"), r.all());
    assertFalse(describe(bobCreds).containsKey(machineId), "a disabled image is not offered to others");
    assertEquals("disabled", describe(adminCreds, machineId).get(machineId)[2]);
    assertEquals("disabled", describe(aliceCreds, machineId).get(machineId)[2]);
    assertTrue(boto(aliceCreds, "describe", "emi-00000000").stdout().contains("InvalidAMIID.NotFound"));
    cloud.eucaConf("--enable-image", machineId).assertOk();
    assertEquals("available", describe(bobCreds, machineId).get(machineId)[2]);
    assertTrue(cloud.eucaConf("--disable-image", "emi-00000000").all().contains("InvalidAMIID.NotFound"));
    Shell.Result asUser = boto(aliceCreds, "raw", "DisableImage", "ImageId=" + machineId);
    assertTrue(asUser.stdout().startsWith("403") && asUser.stdout().contains("UnauthorizedOperation"), asUser.all());
    assertEquals("available", describe(bobCreds, machineId).get(machineId)[2]);
  }

  @Test
  @Order(7)
  void kernelAndRamdiskAttributesAndDeregistration() {
    Shell.Result r = boto(adminCreds, "reset", machineId, "kernel");
    r.assertOk();
    assertEquals("None", describe(aliceCreds, machineId).get(machineId)[7]);
    Shell.Result dereg = boto(aliceCreds, "deregister", kernelId);
    assertTrue(dereg.stdout().contains("ERROR"), "alice cannot deregister the admin's kernel: " + dereg.all());
    Path raw = image("throwaway.img", 200_000, 9);
    String id = bundleUploadRegister(aliceCreds, raw, "alice-throwaway", "");
    as(aliceCreds, "euca-deregister " + id).assertOk();
    assertTrue(boto(aliceCreds, "describe", id).stdout().contains("InvalidAMIID.NotFound"));
  }

  @Test
  @Order(8)
  void requestsNotSignedWithTheNodeCertificateAreRefused() {
    Path out = work.resolve("unsigned.out");
    // signed with alice's own certificate and key, in the NC's format
    Path cert = aliceCreds.resolve(find(aliceCreds, "-cert.pem"));
    Path key = aliceCreds.resolve(find(aliceCreds, "-pk.pem"));
    assertEquals(403, nc("GetDecryptedImage", "alice-images/machine.img.manifest.xml", out, cert, key));
    assertTrue(text(out).contains("<Code>AccessDenied</Code>") && text(out).contains("not the node certificate"), text(out));
    // the node certificate with a signature made by another key
    assertEquals(403, nc("GetDecryptedImage", "alice-images/machine.img.manifest.xml", out,
        cloud.keysDir().resolve("node-cert.pem"), key));
    // no signature at all
    Shell.Result r = Shell.run(Map.of(), "curl", "-s", "-w", "\n%{http_code}", "-H", "EucaOperation: GetDecryptedImage",
        "http://127.0.0.1:8773/services/Walrus/alice-images/machine.img.manifest.xml");
    assertTrue(r.stdout().endsWith("403") && r.stdout().contains("AccessDenied"), r.all());
  }

  static String find(Path dir, String suffix) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).findFirst().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @Order(9)
  void theCacheDecryptsOnceEvictsTheLeastRecentlyUsedAndServesConcurrentRequestsFromOneDecryption() throws Exception {
    String machine = "alice-images/machine.img.manifest.xml";
    Path first = work.resolve("cache-1.out");
    assertEquals(200, nc("FlushCachedImage", machine, work.resolve("flush.out")));
    long before = decryptionsLogged(machine);
    List<Path> cachedBefore = cacheFiles();
    assertEquals(200, nc("GetDecryptedImage", machine, first));
    assertEquals("miss", header(first, "x-euca-image-cache"));
    assertEquals(WalrusCloud.sha256(machineRaw), WalrusCloud.sha256(first));
    List<Path> added = cacheFiles().stream().filter(p -> !cachedBefore.contains(p)).toList();
    assertEquals(1, added.size(), added.toString());
    Path cached = added.get(0);
    FileTime mtime = Files.getLastModifiedTime(cached);
    Thread.sleep(1100);
    Path second = work.resolve("cache-2.out");
    assertEquals(200, nc("GetDecryptedImage", machine, second));
    assertEquals("hit", header(second, "x-euca-image-cache"));
    assertEquals(WalrusCloud.sha256(machineRaw), WalrusCloud.sha256(second));
    assertEquals(before + 1, decryptionsLogged(machine), "the second request did no decryption");
    assertEquals(mtime, Files.getLastModifiedTime(cached), "the cached file was not rewritten");
    Path check = work.resolve("check.out");
    assertEquals(200, nc("CheckImage", machine, check));
    assertTrue(text(check).contains("<cached>true</cached>"), text(check));

    // 4 concurrent requests after a flush: one decryption, 4 identical images
    assertEquals(200, nc("FlushCachedImage", machine, work.resolve("flush.out")));
    assertEquals(200, nc("CheckImage", machine, check));
    assertTrue(text(check).contains("<cached>false</cached>"), text(check));
    long beforeConcurrent = decryptionsLogged(machine);
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path out = work.resolve("concurrent-" + i + ".out");
      calls.add(CompletableFuture.supplyAsync(() -> nc("GetDecryptedImage", machine, out)));
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(200, calls.get(i).get());
      assertEquals(WalrusCloud.sha256(machineRaw), WalrusCloud.sha256(work.resolve("concurrent-" + i + ".out")));
    }
    assertEquals(beforeConcurrent + 1, decryptionsLogged(machine), "4 concurrent requests decrypted once");

    // the size limit: 10 MB holds two 4 MB images; the least recently used goes first
    cloud.eucaConf("--set-property", "walrus.image.cache.size.mb=10").assertOk();
    Path b = image("lru-b.img", 4_000_000, 10);
    Path c = image("lru-c.img", 4_000_000, 11);
    bundleUploadRegister(aliceCreds, b, "alice-lru", "");
    bundleUploadRegister(aliceCreds, c, "alice-lru", "");
    Path o = work.resolve("lru.out");
    assertEquals(200, nc("GetDecryptedImage", "alice-lru/lru-b.img.manifest.xml", o)); // cache: machine, b
    assertEquals(200, nc("GetDecryptedImage", machine, o)); // machine used after b
    assertEquals("hit", header(o, "x-euca-image-cache"));
    assertEquals(200, nc("GetDecryptedImage", "alice-lru/lru-c.img.manifest.xml", o)); // evicts b
    assertTrue(cachedState("alice-lru/lru-b.img.manifest.xml").contains("<cached>false</cached>"), "b was least recently used");
    assertTrue(cachedState(machine).contains("<cached>true</cached>"));
    assertTrue(cachedState("alice-lru/lru-c.img.manifest.xml").contains("<cached>true</cached>"));
    assertTrue(logs(".*image cache: evicted .*cache limit 10485760 bytes.*"), "the eviction is logged");
    long total = 0;
    try (Stream<Path> s = Files.list(WalrusCloud.bukkits(cloud).resolve("imagecache"))) {
      for (Path p : s.toList()) {
        total += Files.size(p);
      }
    }
    assertTrue(total <= 10L * 1024 * 1024, "the cache holds " + total + " bytes");
    cloud.eucaConf("--set-property", "walrus.image.cache.size.mb=30720").assertOk();
  }

  static String cachedState(String manifest) {
    Path out = work.resolve("state.out");
    assertEquals(200, nc("CheckImage", manifest, out));
    return text(out);
  }

  static boolean logs(String regex) {
    try (Stream<String> lines = Files.lines(cloud.logDir().resolve("cloud-output.log"))) {
      return lines.anyMatch(l -> l.matches(regex));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
