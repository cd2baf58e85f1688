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
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * awscli (/usr/bin/aws, Debian's 2.9): signature v4 against the path-style endpoint
 * http://127.0.0.1:8773/services/Walrus, {@code addressing_style = path} from its config file.
 * {@code aws s3 cp} switches to multipart by itself above 8 MB, as users get it.
 */
public final class AwsCliOps implements S3Ops {
  private final Credentials creds;
  private final Path config;
  private final Path smallPartsConfig;

  public AwsCliOps(Credentials creds, Path workDir) {
    this.creds = creds;
    try {
      Files.createDirectories(workDir);
      config = workDir.resolve("aws-config");
      Files.writeString(config, "[default]\nregion = eucalyptus\ns3 =\n    addressing_style = path\n");
      smallPartsConfig = workDir.resolve("aws-config-5mb-parts");
      Files.writeString(smallPartsConfig, "[default]\nregion = eucalyptus\ns3 =\n    addressing_style = path\n"
          + "    multipart_threshold = 5MB\n    multipart_chunksize = 5MB\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String name() {
    return "awscli (v4, path-style)";
  }

  public Shell.Result run(String... args) {
    return run(config, args).assertOk();
  }

  /** Runs aws with this config, without failing on an error exit. */
  public Shell.Result run(Path cfg, String... args) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", S3Http.ENDPOINT));
    cmd.addAll(List.of(args));
    return Shell.run(cmd, Map.of("AWS_ACCESS_KEY_ID", creds.accessKey(), "AWS_SECRET_ACCESS_KEY", creds.secretKey(),
        "AWS_CONFIG_FILE", cfg.toString(), "AWS_SHARED_CREDENTIALS_FILE", "/dev/null", "AWS_PAGER", "",
        "AWS_EC2_METADATA_DISABLED", "true"), null, Duration.ofMinutes(5));
  }

  private static List<String> words(String textOutput) {
    return Arrays.stream(textOutput.split("[\t\n]")).map(String::trim).filter(s -> !s.isEmpty() && !s.equals("None"))
        .toList();
  }

  @Override
  public void makeBucket(String bucket) {
    run("s3", "mb", "s3://" + bucket);
  }

  @Override
  public void removeBucket(String bucket) {
    run("s3", "rb", "s3://" + bucket);
  }

  @Override
  public List<String> listBuckets() {
    return words(run("s3api", "list-buckets", "--query", "Buckets[].Name", "--output", "text").stdout());
  }

  @Override
  public void put(String bucket, String key, Path file) {
    run("s3", "cp", "--only-show-errors", file.toString(), "s3://" + bucket + "/" + key);
  }

  @Override
  public void get(String bucket, String key, Path dest) {
    run("s3", "cp", "--only-show-errors", "s3://" + bucket + "/" + key, dest.toString());
  }

  @Override
  public void delete(String bucket, String key) {
    run("s3api", "delete-object", "--bucket", bucket, "--key", key);
  }

  /** s3api delete-objects (awscli 2.9 sends the body's Content-MD5). */
  @Override
  public void deleteAll(String bucket) {
    List<String> keys = allKeysPaged(bucket, 1000);
    StringBuilder json = new StringBuilder("{\"Objects\":[");
    for (int i = 0; i < keys.size(); i++) {
      json.append(i == 0 ? "" : ",").append("{\"Key\":\"").append(keys.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\"}");
    }
    String out = run("s3api", "delete-objects", "--bucket", bucket, "--delete", json.append("]}").toString(), "--output",
        "json").stdout();
    if (out.contains("\"Errors\"")) {
      throw new AssertionError("delete-objects: " + out);
    }
  }

  @Override
  public Listing list(String bucket, String prefix, String delimiter) {
    String out = run("s3api", "list-objects-v2", "--no-paginate", "--bucket", bucket, "--prefix", prefix,
        "--delimiter", delimiter, "--query", "{keys: Contents[].Key, prefixes: CommonPrefixes[].Prefix}", "--output",
        "json").stdout();
    return new Listing(quoted(section(out, "keys")), quoted(section(out, "prefixes")));
  }

  /** The JSON array (or null) after "name": in awscli's output. */
  private static String section(String json, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*(\\[[^\\]]*\\]|null)")
        .matcher(json);
    if (!m.find()) {
      throw new AssertionError("no " + name + " in " + json);
    }
    return m.group(1);
  }

  private static List<String> quoted(String s) {
    List<String> out = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(s);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Override
  public List<String> firstKeys(String bucket, int n) {
    return words(run("s3api", "list-objects-v2", "--no-paginate", "--bucket", bucket, "--max-keys",
        Integer.toString(n), "--query", "Contents[].Key", "--output", "text").stdout());
  }

  @Override
  public List<String> allKeysPaged(String bucket, int pageSize) {
    return words(run("s3api", "list-objects-v2", "--bucket", bucket, "--page-size", Integer.toString(pageSize),
        "--query", "Contents[].Key", "--output", "text").stdout());
  }

  @Override
  public void copy(String srcBucket, String srcKey, String dstBucket, String dstKey) {
    run("s3", "cp", "--only-show-errors", "s3://" + srcBucket + "/" + srcKey, "s3://" + dstBucket + "/" + dstKey);
  }

  @Override
  public String multipartPut(String bucket, String key, Path file, int partMb) {
    if (partMb != 5) {
      throw new IllegalArgumentException("the awscli config here has 5 MB parts");
    }
    run(smallPartsConfig, "s3", "cp", "--only-show-errors", file.toString(), "s3://" + bucket + "/" + key).assertOk();
    return etag(bucket, key);
  }

  /**
   * {@code aws s3 cp s3://…/src s3://…/dst} with the 5 MB threshold and part size: above 5 MB
   * awscli copies in parts, each an UploadPartCopy with an x-amz-copy-source-range. Runs with
   * --debug, so the result's stderr shows the requests as sent.
   */
  public Shell.Result copyInParts(String srcBucket, String srcKey, String dstBucket, String dstKey) {
    return run(smallPartsConfig, "--debug", "s3", "cp", "--only-show-errors", "s3://" + srcBucket + "/" + srcKey,
        "s3://" + dstBucket + "/" + dstKey).assertOk();
  }

  @Override
  public String etag(String bucket, String key) {
    return run("s3api", "head-object", "--bucket", bucket, "--key", key, "--query", "ETag", "--output", "text")
        .stdout().trim().replace("\"", "");
  }

  @Override
  public void makePublicRead(String bucket, String key) {
    run("s3api", "put-object-acl", "--bucket", bucket, "--key", key, "--acl", "public-read");
  }

  @Override
  public void grantRead(String bucket, String key, String email) {
    String owner = run("s3api", "get-object-acl", "--bucket", bucket, "--key", key, "--query", "Owner.ID", "--output",
        "text").stdout().trim();
    String policy = "{\"Owner\":{\"ID\":\"" + owner + "\"},\"Grants\":["
        + "{\"Grantee\":{\"Type\":\"CanonicalUser\",\"ID\":\"" + owner + "\"},\"Permission\":\"FULL_CONTROL\"},"
        + "{\"Grantee\":{\"Type\":\"AmazonCustomerByEmail\",\"EmailAddress\":\"" + email + "\"},\"Permission\":\"READ\"}]}";
    run("s3api", "put-object-acl", "--bucket", bucket, "--key", key, "--access-control-policy", policy);
  }

  @Override
  public String presignedSignatureVersion() {
    return "v4";
  }

  @Override
  public String presignedGet(String bucket, String key) {
    return run("s3", "presign", "s3://" + bucket + "/" + key, "--expires-in", "300").stdout().trim();
  }
}
