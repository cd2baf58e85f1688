package com.eucalyptus.itests.support.s3;

import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.Shell;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** python3-boto (boto 2.49): signature v2, OrdinaryCallingFormat, path /services/Walrus. */
public final class BotoOps implements S3Ops {
  private final Credentials creds;

  public BotoOps(Credentials creds) {
    this.creds = creds;
  }

  @Override
  public String name() {
    return "python3-boto (v2, path-style)";
  }

  /** Runs clients/s3_boto.py; fails on a non-zero exit. */
  public Shell.Result run(String... args) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", ClientScripts.get("s3_boto.py").toString(),
        "127.0.0.1", "8773", creds.accessKey(), creds.secretKey()));
    cmd.addAll(List.of(args));
    return Shell.run(cmd, Map.of(), null, Duration.ofMinutes(5)).assertOk();
  }

  private List<String> tagged(String tag, String out) {
    return out.lines().filter(l -> l.startsWith(tag + "\t")).map(l -> l.substring(tag.length() + 1)).toList();
  }

  @Override
  public void makeBucket(String bucket) {
    run("mb", bucket);
  }

  @Override
  public void removeBucket(String bucket) {
    run("rb", bucket);
  }

  @Override
  public List<String> listBuckets() {
    return run("buckets").stdout().lines().toList();
  }

  @Override
  public void put(String bucket, String key, Path file) {
    run("put", bucket, key, file.toString());
  }

  @Override
  public void get(String bucket, String key, Path dest) {
    run("get", bucket, key, dest.toString());
  }

  @Override
  public void delete(String bucket, String key) {
    run("del", bucket, key);
  }

  /** bucket.delete_keys: boto's multi-object delete, sent with Content-MD5. */
  @Override
  public void deleteAll(String bucket) {
    run("delall", bucket);
  }

  @Override
  public Listing list(String bucket, String prefix, String delimiter) {
    String out = run("ls", bucket, prefix, delimiter).stdout();
    return new Listing(tagged("KEY", out), tagged("PREFIX", out));
  }

  @Override
  public List<String> firstKeys(String bucket, int n) {
    return tagged("KEY", run("first", bucket, Integer.toString(n)).stdout());
  }

  @Override
  public List<String> allKeysPaged(String bucket, int pageSize) {
    return tagged("KEY", run("paged", bucket, Integer.toString(pageSize)).stdout());
  }

  @Override
  public void copy(String srcBucket, String srcKey, String dstBucket, String dstKey) {
    run("cp", srcBucket, srcKey, dstBucket, dstKey);
  }

  @Override
  public String multipartPut(String bucket, String key, Path file, int partMb) {
    return tagged("ETAG", run("mpu", bucket, key, file.toString(), Integer.toString(partMb)).stdout()).get(0);
  }

  @Override
  public String etag(String bucket, String key) {
    return run("etag", bucket, key).stdout().trim();
  }

  @Override
  public void makePublicRead(String bucket, String key) {
    run("canned", bucket, key, "public-read");
  }

  @Override
  public void grantRead(String bucket, String key, String email) {
    run("grant-email", bucket, key, email);
  }

  @Override
  public String presignedSignatureVersion() {
    return "v2";
  }

  @Override
  public String presignedGet(String bucket, String key) {
    return run("url", bucket, key, "300").stdout().trim();
  }
}
