package com.eucalyptus.itests.bench;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.Shell;
import com.eucalyptus.itests.support.WalrusCloud;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * GetDecryptedImage, cold (decrypt into the cache while streaming from it afterwards) and warm
 * (served from the cache), beside the raw pipeline on the same parts:
 * {@code cat parts | openssl enc -d -aes-128-cbc | gunzip | tar -xO > file}, the key and IV opened
 * with {@code openssl pkeyutl} and the cloud key. Run by bench/images; prints one line per case.
 */
public final class ImageDecryptBench {
  public static void main(String[] args) throws Exception {
    int mb = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    try (CloudInstallation cloud = WalrusCloud.startClcOnly("bench-images")) {
      Path creds = cloud.credentials("admin");
      Path work = Files.createDirectories(cloud.home().resolve("bench-images"));
      Path scripts = Files.createDirectories(work.resolve("scripts"));
      try (InputStream in = ImageDecryptBench.class.getResourceAsStream("/images/nc-request.sh")) {
        Files.copy(in, scripts.resolve("nc-request.sh"));
      }
      Path raw = WalrusCloud.randomFile(work, "bench.img", (long) mb << 20, 42);
      String env = "set -e; . '" + creds.resolve("eucarc") + "'; export EC2_USER_ID=admin; export PATH='"
          + cloud.home().resolve("usr/bin") + "':$PATH; cd '" + work + "'; ";
      run(cloud, work, env + "mkdir -p b; euca-bundle-image -i bench.img -d b >/dev/null; "
          + "euca-upload-bundle -b bench -m b/bench.img.manifest.xml >/dev/null; euca-register bench/bench.img.manifest.xml");
      String nc = "bash scripts/nc-request.sh GetDecryptedImage /services/Walrus/bench/bench.img.manifest.xml out.img '"
          + cloud.keysDir().resolve("node-cert.pem") + "' '" + cloud.keysDir().resolve("node-pk.pem") + "'";
      String cloudKey = cloud.keysDir().resolve("cloud-pk.pem").toString();
      String pipeline = "hexfield() { sed -n \"s:.*<$1[^>]*>\\([0-9a-f]*\\)</$1>.*:\\1:p\" b/bench.img.manifest.xml; }; "
          + "open() { hexfield $1 | /usr/bin/python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read().strip()))' | openssl pkeyutl -decrypt -inkey '" + cloudKey
          + "' -pkeyopt rsa_padding_mode:pkcs1; }; key=$(open ec2_encrypted_key); iv=$(open ec2_encrypted_iv); "
          + "cat $(ls b/bench.img.part.* | sort -t. -k4 -n) | openssl enc -d -aes-128-cbc -K $key -iv $iv | gunzip "
          + "| tar -xO > pipe.img";
      double rawPipe = timed(cloud, work, "set -e; cd '" + work + "'; " + pipeline);
      double cold = timed(cloud, work, "set -e; cd '" + work + "'; test $(" + nc + ") = 200");
      String coldSum = WalrusCloud.sha256(work.resolve("out.img"));
      double warm = timed(cloud, work, "set -e; cd '" + work + "'; test $(" + nc + ") = 200");
      double warm2 = timed(cloud, work, "set -e; cd '" + work + "'; test $(" + nc + ") = 200");
      String want = WalrusCloud.sha256(raw);
      if (!want.equals(coldSum) || !want.equals(WalrusCloud.sha256(work.resolve("out.img")))
          || !want.equals(WalrusCloud.sha256(work.resolve("pipe.img")))) {
        throw new AssertionError("an output differs from the image");
      }
      System.out.printf("image %d MB (random bytes), %d parts%n", mb, (mb + 9) / 10);
      System.out.printf("%-58s %8.2f s  %7.1f MB/s%n", "raw: openssl enc -d | gunzip | tar -xO > file", rawPipe, mb / rawPipe);
      System.out.printf("%-58s %8.2f s  %7.1f MB/s%n", "GetDecryptedImage cold (decrypt into the cache, then stream)", cold,
          mb / cold);
      System.out.printf("%-58s %8.2f s  %7.1f MB/s%n", "GetDecryptedImage warm (from the cache)", Math.min(warm, warm2),
          mb / Math.min(warm, warm2));
    }
  }

  private static void run(CloudInstallation cloud, Path dir, String script) {
    Shell.run(List.of("bash", "-c", script), cloud.env(), dir, Duration.ofMinutes(20)).assertOk();
  }

  private static double timed(CloudInstallation cloud, Path dir, String script) {
    long t = System.nanoTime();
    run(cloud, dir, script);
    return (System.nanoTime() - t) / 1e9;
  }
}
