package com.eucalyptus.itests.support.s3;

import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.S3Http;
import com.eucalyptus.itests.support.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * s3cmd (Debian's 2.3) through Walrus's host-name form: s3cmd cannot put a path in its endpoint,
 * so it talks to {@code s3.<cloud.dns.domain>:8773} at "/". That name must resolve without
 * touching the machine's /etc/hosts: every s3cmd runs in its own mount namespace
 * ({@code unshare --mount}) with a private hosts file bind-mounted over /etc/hosts.
 * Path-style ({@code host_bucket} without the bucket) or virtual-host style
 * ({@code %(bucket)s.s3.<domain>}, the buckets' names then in the private hosts file too).
 */
public final class S3cmdOps implements S3Ops {
  private final Credentials creds;
  private final String s3Host;
  private final boolean signatureV2;
  private final boolean virtualHost;
  private final Path config;
  private final Path hosts;

  public S3cmdOps(Credentials creds, Path workDir, String domain, boolean signatureV2, boolean virtualHost,
      List<String> buckets) {
    this.creds = creds;
    this.s3Host = "s3." + domain;
    this.signatureV2 = signatureV2;
    this.virtualHost = virtualHost;
    try {
      Files.createDirectories(workDir);
      config = workDir.resolve("s3cfg");
      Files.writeString(config, String.join("\n",
          "[default]",
          "access_key = " + creds.accessKey(),
          "secret_key = " + creds.secretKey(),
          "host_base = " + s3Host + ":8773",
          "host_bucket = " + (virtualHost ? "%(bucket)s." : "") + s3Host + ":8773",
          "use_https = False",
          "signature_v2 = " + (signatureV2 ? "True" : "False"),
          "bucket_location = US",
          "multipart_chunk_size_mb = 15",
          "progress_meter = False",
          "check_ssl_certificate = False",
          ""));
      hosts = workDir.resolve("hosts");
      StringBuilder h = new StringBuilder("127.0.0.1 localhost\n127.0.0.1 " + s3Host + "\n");
      for (String b : buckets) {
        h.append("127.0.0.1 ").append(b).append('.').append(s3Host).append('\n');
      }
      Files.writeString(hosts, h.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String name() {
    return "s3cmd (" + (signatureV2 ? "v2" : "v4") + ", host-name form, " + (virtualHost ? "virtual-host" : "path")
        + " style)";
  }

  public String s3Host() {
    return s3Host;
  }

  /** Runs s3cmd with this config and hosts file; fails on a non-zero exit. */
  public Shell.Result run(String... args) {
    return tryRun(args).assertOk();
  }

  public Shell.Result tryRun(String... args) {
    List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "bash", "-c",
        "mount --bind \"$0\" /etc/hosts && exec /usr/bin/s3cmd -c \"$1\" \"${@:2}\"", hosts.toString(),
        config.toString()));
    cmd.addAll(List.of(args));
    return Shell.run(cmd, Map.of(), null, Duration.ofMinutes(5));
  }

  private static String uri(String bucket, String key) {
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public void makeBucket(String bucket) {
    run("mb", "s3://" + bucket);
  }

  @Override
  public void removeBucket(String bucket) {
    run("rb", "s3://" + bucket);
  }

  @Override
  public List<String> listBuckets() {
    return run("ls").stdout().lines().filter(l -> l.contains("s3://")).map(l -> l.substring(l.indexOf("s3://") + 5))
        .toList();
  }

  @Override
  public void put(String bucket, String key, Path file) {
    run("put", file.toString(), uri(bucket, key));
  }

  @Override
  public void get(String bucket, String key, Path dest) {
    run("get", "--force", uri(bucket, key), dest.toString());
  }

  @Override
  public void delete(String bucket, String key) {
    run("del", uri(bucket, key));
  }

  /** del --recursive --force: s3cmd lists the bucket and deletes in batches (POST ?delete with Content-MD5). */
  @Override
  public void deleteAll(String bucket) {
    run("del", "--recursive", "--force", "s3://" + bucket);
  }

  @Override
  public Listing list(String bucket, String prefix, String delimiter) {
    if (!delimiter.equals("/")) {
      throw new IllegalArgumentException("s3cmd ls lists with delimiter / only");
    }
    List<String> keys = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (String line : run("ls", uri(bucket, prefix)).stdout().lines().toList()) {
      String mark = "s3://" + bucket + "/";
      int at = line.indexOf(mark);
      if (at < 0) {
        continue;
      }
      String name = line.substring(at + mark.length());
      (line.trim().startsWith("DIR") ? prefixes : keys).add(name);
    }
    return new Listing(keys, prefixes);
  }

  private List<String> recursiveKeys(String... extra) {
    List<String> args = new ArrayList<>(List.of("ls", "-r"));
    args.addAll(List.of(extra));
    String out = run(args.toArray(String[]::new)).stdout();
    List<String> keys = new ArrayList<>();
    for (String line : out.lines().toList()) {
      int at = line.indexOf("s3://");
      if (at >= 0) {
        String rest = line.substring(at + 5);
        keys.add(rest.substring(rest.indexOf('/') + 1));
      }
    }
    return keys;
  }

  @Override
  public List<String> firstKeys(String bucket, int n) {
    return recursiveKeys("--limit", Integer.toString(n), "s3://" + bucket);
  }

  /** s3cmd pages with markers by itself but lets nobody choose the page size. */
  @Override
  public List<String> allKeysPaged(String bucket, int pageSize) {
    return recursiveKeys("s3://" + bucket);
  }

  @Override
  public void copy(String srcBucket, String srcKey, String dstBucket, String dstKey) {
    run("cp", uri(srcBucket, srcKey), uri(dstBucket, dstKey));
  }

  @Override
  public String multipartPut(String bucket, String key, Path file, int partMb) {
    run("put", "--multipart-chunk-size-mb=" + partMb, file.toString(), uri(bucket, key));
    return etag(bucket, key);
  }

  /** s3cmd's "info" shows its own MD5 attribute instead of the ETag: read the ETag with a HEAD. */
  @Override
  public String etag(String bucket, String key) {
    S3Http.Response r = S3Http.request("HEAD", "/" + bucket + "/" + S3Http.encodeKey(key)).as(creds).send();
    if (r.status() != 200) {
      throw new AssertionError("HEAD " + bucket + "/" + key + ": " + r);
    }
    return r.header("etag").replace("\"", "");
  }

  @Override
  public void makePublicRead(String bucket, String key) {
    run("setacl", "--acl-public", uri(bucket, key));
  }

  @Override
  public void grantRead(String bucket, String key, String email) {
    run("setacl", "--acl-grant=read:" + email, uri(bucket, key));
  }

  /** signurl signs with v2 whatever signature_v2 says. */
  @Override
  public String presignedSignatureVersion() {
    return "v2";
  }

  @Override
  public String presignedGet(String bucket, String key) {
    return run("signurl", uri(bucket, key), "+300").stdout().trim();
  }
}
