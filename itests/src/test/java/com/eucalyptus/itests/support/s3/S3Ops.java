package com.eucalyptus.itests.support.s3;

import java.nio.file.Path;
import java.util.List;

/**
 * What one real S3 client does in the Walrus acceptance round, each operation carried out by that
 * client (its command line or its SDK), so that the round's assertions are the same for all.
 * Every method fails the test (AssertionError) when the client reports an error.
 */
public interface S3Ops {
  /** A short name for messages, e.g. "s3cmd (v2, host-name form)". */
  String name();

  void makeBucket(String bucket);

  void removeBucket(String bucket);

  List<String> listBuckets();

  /** Uploads the way this client does by default (some switch to multipart for large files). */
  void put(String bucket, String key, Path file);

  void get(String bucket, String key, Path dest);

  void delete(String bucket, String key);

  /** Deletes every object of the bucket with the client's multi-object delete (POST ?delete). */
  void deleteAll(String bucket);

  /** One listing with a delimiter. */
  Listing list(String bucket, String prefix, String delimiter);

  /** The first page of at most {@code n} keys (max-keys n). */
  List<String> firstKeys(String bucket, int n);

  /** Every key, fetched {@code pageSize} a request where the client lets one choose. */
  List<String> allKeysPaged(String bucket, int pageSize);

  void copy(String srcBucket, String srcKey, String dstBucket, String dstKey);

  /** A multipart upload in parts of {@code partMb} MB; returns the ETag Walrus gave the object. */
  String multipartPut(String bucket, String key, Path file, int partMb);

  /** The object's ETag without quotes. */
  String etag(String bucket, String key);

  void makePublicRead(String bucket, String key);

  /** Grants READ on the object to the user with this e-mail address, keeping the owner's grant. */
  void grantRead(String bucket, String key, String email);

  /** A presigned GET URL for the object, valid for a few minutes. */
  String presignedGet(String bucket, String key);

  /** The signature version of this client's presigned URLs: "v2" (Signature=) or "v4" (X-Amz-Signature=). */
  String presignedSignatureVersion();

  record Listing(List<String> keys, List<String> prefixes) {
  }
}
