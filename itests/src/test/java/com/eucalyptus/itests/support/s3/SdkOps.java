package com.eucalyptus.itests.support.s3;

import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.S3Http;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.AccessControlPolicy;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Type;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The AWS SDK for Java v2 with its DEFAULT settings (request checksums, chunked signed bodies
 * with checksum trailers, response checksum validation): only the endpoint, path-style, region
 * and static keys are set, as a user pointing it at Walrus would.
 */
public final class SdkOps implements S3Ops, AutoCloseable {
  private final S3Client s3;
  private final S3Presigner presigner;
  private final List<Sent> sent = new CopyOnWriteArrayList<>();

  public SdkOps(Credentials creds) {
    this(creds, b -> b);
  }

  /**
   * With one setting changed from the defaults by {@code setting} (e.g. request checksums only
   * where an operation requires them, as some users set for stores other than AWS).
   */
  public SdkOps(Credentials creds, java.util.function.UnaryOperator<S3ClientBuilder> setting) {
    StaticCredentialsProvider keys = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(creds.accessKey(), creds.secretKey()));
    s3 = setting.apply(S3Client.builder()).endpointOverride(URI.create(S3Http.ENDPOINT)).forcePathStyle(true)
        .region(Region.US_EAST_1).credentialsProvider(keys)
        // only watches what is sent (changes nothing): the tests check the body forms the defaults chose
        .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            sent.add(new Sent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.httpRequest()));
          }
        }))
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(5)).build()).build();
    presigner = S3Presigner.builder().endpointOverride(URI.create(S3Http.ENDPOINT)).region(Region.US_EAST_1)
        .credentialsProvider(keys)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
  }

  public S3Client client() {
    return s3;
  }

  @Override
  public String name() {
    return "AWS SDK for Java v2 (default settings)";
  }

  @Override
  public void makeBucket(String bucket) {
    s3.createBucket(b -> b.bucket(bucket));
  }

  @Override
  public void removeBucket(String bucket) {
    s3.deleteBucket(b -> b.bucket(bucket));
  }

  @Override
  public List<String> listBuckets() {
    return s3.listBuckets().buckets().stream().map(b -> b.name()).toList();
  }

  @Override
  public void put(String bucket, String key, Path file) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
  }

  @Override
  public void get(String bucket, String key, Path dest) {
    try {
      Files.deleteIfExists(dest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    s3.getObject(b -> b.bucket(bucket).key(key), dest);
  }

  @Override
  public void delete(String bucket, String key) {
    s3.deleteObject(b -> b.bucket(bucket).key(key));
  }

  @Override
  public void deleteAll(String bucket) {
    List<software.amazon.awssdk.services.s3.model.ObjectIdentifier> ids = allKeysPaged(bucket, 1000).stream()
        .map(k -> software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder().key(k).build()).toList();
    var r = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ids)));
    if (!r.errors().isEmpty() || r.deleted().size() != ids.size()) {
      throw new AssertionError("DeleteObjects of " + ids.size() + " keys: " + r);
    }
  }

  @Override
  public Listing list(String bucket, String prefix, String delimiter) {
    ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).delimiter(delimiter));
    return new Listing(r.contents().stream().map(S3Object::key).toList(),
        r.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
  }

  @Override
  public List<String> firstKeys(String bucket, int n) {
    return s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(n)).contents().stream().map(S3Object::key).toList();
  }

  @Override
  public List<String> allKeysPaged(String bucket, int pageSize) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket).maxKeys(pageSize)).contents().stream().map(S3Object::key)
        .toList();
  }

  @Override
  public void copy(String srcBucket, String srcKey, String dstBucket, String dstKey) {
    s3.copyObject(b -> b.sourceBucket(srcBucket).sourceKey(srcKey).destinationBucket(dstBucket).destinationKey(dstKey));
  }

  @Override
  public String multipartPut(String bucket, String key, Path file, int partMb) {
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    long partSize = partMb * 1024L * 1024L;
    List<CompletedPart> parts = new ArrayList<>();
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long size = in.length();
      for (int n = 1; (n - 1) * partSize < size; n++) {
        byte[] chunk = new byte[(int) Math.min(partSize, size - (n - 1) * partSize)];
        in.seek((n - 1) * partSize);
        in.readFully(chunk);
        final int partNumber = n;
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
            RequestBody.fromBytes(chunk)).eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int listed = s3.listParts(b -> b.bucket(bucket).key(key).uploadId(uploadId)).parts().size();
    if (listed != parts.size()) {
      throw new AssertionError("ListParts shows " + listed + " parts, " + parts.size() + " were uploaded");
    }
    return s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
        .multipartUpload(m -> m.parts(parts))).eTag().replace("\"", "");
  }

  /**
   * UploadPartCopy of part {@code partNumber}: the bytes of {@code srcBucket/srcKey}, only those of
   * {@code range} ("bytes=first-last") when it is not null. Returns the part for CompleteMultipartUpload.
   */
  public CompletedPart copyPart(String bucket, String key, String uploadId, int partNumber, String srcBucket,
      String srcKey, String range) {
    String etag = s3.uploadPartCopy(b -> b.destinationBucket(bucket).destinationKey(key).uploadId(uploadId)
        .partNumber(partNumber).sourceBucket(srcBucket).sourceKey(srcKey).copySourceRange(range))
        .copyPartResult().eTag();
    return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
  }

  @Override
  public String etag(String bucket, String key) {
    return s3.headObject(b -> b.bucket(bucket).key(key)).eTag().replace("\"", "");
  }

  @Override
  public void makePublicRead(String bucket, String key) {
    s3.putObjectAcl(b -> b.bucket(bucket).key(key).acl(ObjectCannedACL.PUBLIC_READ));
  }

  @Override
  public void grantRead(String bucket, String key, String email) {
    var current = s3.getObjectAcl(b -> b.bucket(bucket).key(key));
    List<Grant> grants = new ArrayList<>(current.grants());
    grants.add(Grant.builder().grantee(Grantee.builder().type(Type.AMAZON_CUSTOMER_BY_EMAIL).emailAddress(email).build())
        .permission(Permission.READ).build());
    s3.putObjectAcl(b -> b.bucket(bucket).key(key)
        .accessControlPolicy(AccessControlPolicy.builder().owner(current.owner()).grants(grants).build()));
  }

  @Override
  public String presignedGet(String bucket, String key) {
    return presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
        .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString();
  }

  @Override
  public String presignedSignatureVersion() {
    return "v4";
  }

  /** The requests this client sent, as they went on the wire (signed, headers final). */
  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** One request the SDK sent: its operation name and the signed HTTP request (headers; not the body). */
  public record Sent(String operation, SdkHttpRequest request) {
    public String header(String name) {
      return request.firstMatchingHeader(name).orElse(null);
    }
  }

  @Override
  public void close() {
    presigner.close();
    s3.close();
  }
}
