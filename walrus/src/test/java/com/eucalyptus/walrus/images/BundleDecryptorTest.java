package com.eucalyptus.walrus.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.walrus.images.DecryptedImage.DigestKind;
import com.eucalyptus.walrus.images.ImageBundleException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundles made by the project's euca-bundle-image (tools/) and, independently, by a shell
 * pipeline of tar, gzip and openssl the way ec2-ami-tools bundles, decrypted by the Java code
 * that GetDecryptedImage uses; tampered bundles and foreign signatures refused. Keys and
 * certificates are made by the openssl command, as users and the cloud have them.
 */
class BundleDecryptorTest {
  @TempDir static Path dir;
  static Path image;
  static X509Certificate userCert;
  static X509Certificate otherCert;
  static PrivateKey cloudKey;
  static PrivateKey otherKey;
  static Path toolBundle;
  static Path shellBundle;

  @BeforeAll
  static void makeKeysImageAndBundles() throws Exception {
    for (String who : List.of("user", "other", "cloud")) {
      run(dir, "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=" + who
          + " -keyout " + who + "-pk.pem -out " + who + "-cert.pem 2>/dev/null");
    }
    userCert = Pem.readCertificate(dir.resolve("user-cert.pem"));
    otherCert = Pem.readCertificate(dir.resolve("other-cert.pem"));
    cloudKey = Pem.readPrivateKey(dir.resolve("cloud-pk.pem"));
    otherKey = Pem.readPrivateKey(dir.resolve("other-pk.pem"));
    // 32 MiB with a 10 MiB hole: three parts, and a sparse file for tar --sparse
    image = dir.resolve("disk.img");
    Random random = new Random(42);
    try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
      f.setLength(32L << 20);
      byte[] chunk = new byte[11 << 20];
      random.nextBytes(chunk);
      f.write(chunk);
      random.nextBytes(chunk);
      f.seek(21L << 20);
      f.write(chunk);
    }
    toolBundle = Files.createDirectory(dir.resolve("tool"));
    Path tool = Path.of("..", "tools", "euca-bundle-image").toAbsolutePath().normalize();
    run(dir, "/usr/bin/python3 " + tool + " -i disk.img -c user-cert.pem -k user-pk.pem -u 000011112222"
        + " --ec2cert cloud-cert.pem -d tool -p disk.img -r x86_64 --kernel eki-12345678 --ramdisk eri-87654321");
    shellBundle = Files.createDirectory(dir.resolve("shell"));
    run(dir, SHELL_BUNDLE);
  }

  /**
   * ec2-ami-tools' way (bundle.rb): tar --sparse | gzip -9 | openssl enc -aes-128-cbc, split at
   * 10 MiB; digest = SHA1 of the tar stream; hex key and IV RSA-encrypted (rsautl, pkeyutl);
   * the manifest laid out over several lines and signed with openssl dgst -sha1 -sign.
   */
  static final String SHELL_BUNDLE = String.join("\n",
      "set -euo pipefail",
      "hex() { od -An -v -tx1 | tr -d ' \\n'; }",
      "key=$(openssl rand -hex 16); iv=$(openssl rand -hex 16)",
      "tar -c --sparse --owner=0 --group=0 --numeric-owner -f shell/img.tar disk.img",
      "digest=$(openssl dgst -sha1 -r shell/img.tar | cut -c1-40)",
      "gzip -9 -c shell/img.tar | openssl enc -e -aes-128-cbc -K $key -iv $iv > shell/img.tar.gz.enc",
      "rm shell/img.tar",
      "(cd shell && split -b 10485760 -d -a 2 img.tar.gz.enc disk.img.part.)",
      "bundled=$(stat -c %s shell/img.tar.gz.enc); rm shell/img.tar.gz.enc",
      "ec2key=$(printf %s $key | openssl rsautl -encrypt -certin -inkey cloud-cert.pem 2>/dev/null | hex)",
      "userkey=$(printf %s $key | openssl pkeyutl -encrypt -certin -inkey user-cert.pem -pkeyopt rsa_padding_mode:pkcs1 | hex)",
      "ec2iv=$(printf %s $iv | openssl pkeyutl -encrypt -certin -inkey cloud-cert.pem -pkeyopt rsa_padding_mode:pkcs1 | hex)",
      "useriv=$(printf %s $iv | openssl rsautl -encrypt -certin -inkey user-cert.pem 2>/dev/null | hex)",
      "parts= n=0",
      "for p in shell/disk.img.part.*; do",
      "  parts=\"$parts<part index=\\\"$n\\\"><filename>$(basename $p)</filename><digest algorithm=\\\"SHA1\\\">$(openssl dgst -sha1 -r $p | cut -c1-40)</digest></part>\"",
      "  n=$((n + 1))",
      "done",
      "mc=\"<machine_configuration>",
      "    <architecture>x86_64</architecture>",
      "  </machine_configuration>\"",
      "img=\"<image><name>disk.img</name><user>000011112222</user><type>machine</type>"
          + "<digest algorithm=\\\"SHA1\\\">$digest</digest><size>$(stat -c %s disk.img)</size><bundled_size>$bundled</bundled_size>"
          + "<ec2_encrypted_key algorithm=\\\"AES-128-CBC\\\">$ec2key</ec2_encrypted_key>"
          + "<user_encrypted_key algorithm=\\\"AES-128-CBC\\\">$userkey</user_encrypted_key>"
          + "<ec2_encrypted_iv>$ec2iv</ec2_encrypted_iv><user_encrypted_iv>$useriv</user_encrypted_iv>"
          + "<parts count=\\\"$n\\\">$parts</parts></image>\"",
      "sig=$(printf %s \"$mc$img\" | openssl dgst -sha1 -sign user-pk.pem | hex)",
      "printf '<?xml version=\"1.0\"?>\\n<manifest>\\n  <version>2007-10-10</version>\\n"
          + "  <bundler><name>ec2-ami-tools</name><version>1.3</version><release>26357</release></bundler>\\n"
          + "  %s\\n  %s\\n  <signature>%s</signature>\\n</manifest>\\n' \"$mc\" \"$img\" \"$sig\" > shell/disk.img.manifest.xml");

  @Test
  void toolBundleDecryptsToTheImage() throws Exception {
    ImageManifest manifest = manifest(toolBundle);
    assertEquals("x86_64", manifest.architecture());
    assertEquals("eki-12345678", manifest.kernelId());
    assertEquals("eri-87654321", manifest.ramdiskId());
    assertEquals("000011112222", manifest.user());
    assertEquals(Files.size(image), manifest.size());
    assertEquals(3, manifest.parts().size());
    assertEquals(userCert, ManifestSignatureVerifier.verify(manifest, List.of(otherCert, userCert)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DecryptedImage result = new BundleDecryptor(cloudKey).decrypt(manifest, partsIn(toolBundle), out, false);
    assertArrayEquals(Files.readAllBytes(image), out.toByteArray());
    assertEquals(DigestKind.IMAGE_FILE, result.digestMatched());
    assertEquals("disk.img", result.fileName());
    assertEquals(Files.size(image), result.size());
  }

  @Test
  void shellPipelineBundleDecryptsToTheSameBytes() throws Exception {
    ImageManifest manifest = manifest(shellBundle);
    assertEquals("ec2-ami-tools", manifest.bundlerName());
    assertEquals(userCert, ManifestSignatureVerifier.verify(manifest, List.of(userCert)));
    assertEquals(3, manifest.parts().size());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DecryptedImage result = new BundleDecryptor(cloudKey).decrypt(manifest, partsIn(shellBundle), out, false);
    assertArrayEquals(Files.readAllBytes(image), out.toByteArray());
    assertEquals(DigestKind.TAR_STREAM, result.digestMatched());
  }

  @Test
  void concatenatedPartsAndGzippedOutput() throws Exception {
    ImageManifest manifest = manifest(shellBundle);
    List<InputStream> streams = new ArrayList<>();
    for (ImageManifest.Part part : manifest.parts()) {
      streams.add(Files.newInputStream(shellBundle.resolve(part.filename())));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream all = new SequenceInputStream(Collections.enumeration(streams))) {
      new BundleDecryptor(cloudKey).decrypt(manifest, all, out, true);
    }
    byte[] gunzipped = new GZIPInputStream(new ByteArrayInputStream(out.toByteArray())).readAllBytes();
    assertArrayEquals(Files.readAllBytes(image), gunzipped);
    assertEquals(0x1f, out.toByteArray()[0] & 0xff, "gzip magic");
    assertEquals(0x8b, out.toByteArray()[1] & 0xff, "gzip magic");
  }

  @Test
  void tamperedPartIsRefused() throws Exception {
    Path copy = copyBundle(toolBundle, "tampered-part");
    ImageManifest manifest = manifest(copy);
    Path part = copy.resolve(manifest.parts().get(1).filename());
    try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
      f.seek(12345);
      int b = f.read();
      f.seek(12345);
      f.write(b ^ 0x01);
    }
    ImageBundleException e = assertThrows(ImageBundleException.class,
        () -> new BundleDecryptor(cloudKey).decrypt(manifest, partsIn(copy), OutputStreamSink.INSTANCE, false));
    assertEquals(Reason.PART_DIGEST_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains(manifest.parts().get(1).filename()), e.getMessage());
  }

  @Test
  void missingPartIsRefused() throws Exception {
    Path copy = copyBundle(shellBundle, "missing-part");
    ImageManifest manifest = manifest(copy);
    Files.delete(copy.resolve(manifest.parts().get(2).filename()));
    ImageBundleException e = assertThrows(ImageBundleException.class,
        () -> new BundleDecryptor(cloudKey).decrypt(manifest, partsIn(copy), OutputStreamSink.INSTANCE, false));
    assertEquals(Reason.MISSING_PART, e.reason());
  }

  @Test
  void tamperedManifestIsRefused() throws Exception {
    String text = Files.readString(toolBundle.resolve("disk.img.manifest.xml"));
    String changed = text.replace("<architecture>x86_64</architecture>", "<architecture>i386</architecture>");
    assertTrue(!changed.equals(text));
    ImageManifest manifest = ManifestParser.parse(changed.getBytes(StandardCharsets.UTF_8));
    ImageBundleException e = assertThrows(ImageBundleException.class,
        () -> ManifestSignatureVerifier.verify(manifest, List.of(userCert, otherCert)));
    assertEquals(Reason.SIGNATURE_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("changed or signed by someone else"), e.getMessage());
  }

  @Test
  void manifestSignedByAnotherKeyIsRefused() throws Exception {
    String text = Files.readString(shellBundle.resolve("disk.img.manifest.xml"));
    ImageManifest original = ManifestParser.parse(text.getBytes(StandardCharsets.UTF_8));
    java.security.Signature signer = java.security.Signature.getInstance("SHA1withRSA");
    signer.initSign(otherKey);
    signer.update(original.signedText().getBytes(StandardCharsets.UTF_8));
    String resigned = text.replace(original.signature(), HexFormat.of().formatHex(signer.sign()));
    ImageManifest manifest = ManifestParser.parse(resigned.getBytes(StandardCharsets.UTF_8));
    assertEquals(otherCert, ManifestSignatureVerifier.verify(manifest, List.of(otherCert)), "a genuine signature of the other user");
    ImageBundleException e = assertThrows(ImageBundleException.class,
        () -> ManifestSignatureVerifier.verify(manifest, List.of(userCert)));
    assertEquals(Reason.SIGNATURE_MISMATCH, e.reason());
  }

  @Test
  void bundleForAnotherCloudIsRefused() throws Exception {
    ImageManifest manifest = manifest(toolBundle);
    ImageBundleException e = assertThrows(ImageBundleException.class,
        () -> new BundleDecryptor(otherKey).decrypt(manifest, partsIn(toolBundle), OutputStreamSink.INSTANCE, false));
    assertEquals(Reason.KEY_DECRYPTION_FAILED, e.reason());
  }

  @Test
  void wrongImageDigestIsRefused() throws Exception {
    String text = Files.readString(toolBundle.resolve("disk.img.manifest.xml"));
    ImageManifest good = ManifestParser.parse(text.getBytes(StandardCharsets.UTF_8));
    ImageManifest manifest = ManifestParser.parse(
        text.replace(good.digest(), "0".repeat(40)).getBytes(StandardCharsets.UTF_8));
    ImageBundleException e = assertThrows(ImageBundleException.class,
        () -> new BundleDecryptor(cloudKey).decrypt(manifest, partsIn(toolBundle), OutputStreamSink.INSTANCE, false));
    assertEquals(Reason.IMAGE_DIGEST_MISMATCH, e.reason());
  }

  @Test
  void malformedManifestsAreRefused() {
    for (String xml : List.of("not xml", "<manifest><image><name>x</name></image></manifest>",
        "<!DOCTYPE m [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><manifest>&e;</manifest>", "<other/>")) {
      ImageBundleException e = assertThrows(ImageBundleException.class,
          () -> ManifestParser.parse(xml.getBytes(StandardCharsets.UTF_8)));
      assertEquals(Reason.BAD_MANIFEST, e.reason());
    }
  }

  // ---- helpers ----

  /** An output that counts nothing: refusals are judged by the exception alone. */
  enum OutputStreamSink {
    ;
    static final java.io.OutputStream INSTANCE = java.io.OutputStream.nullOutputStream();
  }

  static ImageManifest manifest(Path bundle) throws Exception {
    return ManifestParser.parse(Files.readAllBytes(bundle.resolve("disk.img.manifest.xml")));
  }

  static PartSource partsIn(Path bundle) {
    return part -> Files.newInputStream(bundle.resolve(part.filename()));
  }

  static Path copyBundle(Path bundle, String name) throws IOException {
    Path copy = Files.createDirectory(dir.resolve(name));
    try (var files = Files.list(bundle)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    return copy;
  }

  static void run(Path cwd, String script) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", script).directory(cwd.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError("failed: " + script + "\n" + output);
    }
  }

  static String sha1(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
  }
}
