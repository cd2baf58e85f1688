package com.eucalyptus.walrus.http;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.multipart.MultipartOps;
import com.eucalyptus.walrus.ops.BucketOps;
import com.eucalyptus.walrus.ops.DeleteObjectsOp;
import com.eucalyptus.walrus.ops.ListOps;
import com.eucalyptus.walrus.ops.ObjectOps;
import java.io.IOException;
import java.util.Set;

/** Picks the operation from the method, the target and the sub-resource in the query. */
public final class S3Dispatcher {
  /** Bucket sub-resources S3 has and Walrus does not implement: 501 NotImplemented. */
  private static final Set<String> UNSUPPORTED = Set.of("policy", "lifecycle", "cors", "website", "logging",
      "notification", "replication", "encryption", "requestPayment", "accelerate", "analytics", "inventory",
      "metrics", "ownershipControls", "publicAccessBlock", "object-lock", "intelligent-tiering", "versions",
      "retention", "legal-hold", "torrent", "restore", "select", "attributes");
  private final BucketOps buckets;
  private final ListOps lists;
  private final ObjectOps objects;
  private final DeleteObjectsOp deleteObjects;
  private final MultipartOps multipart;

  public S3Dispatcher(BucketOps buckets, ListOps lists, ObjectOps objects, DeleteObjectsOp deleteObjects,
      MultipartOps multipart) {
    this.buckets = buckets;
    this.lists = lists;
    this.objects = objects;
    this.deleteObjects = deleteObjects;
    this.multipart = multipart;
  }

  public void dispatch(S3Call call) throws S3Exception, IOException {
    String method = call.req.getMethod();
    if (call.target.bucket() == null) {
      if (method.equals("GET") || method.equals("HEAD")) {
        buckets.listAllMyBuckets(call);
        return;
      }
      throw notAllowed();
    }
    for (String sub : UNSUPPORTED) {
      if (call.has(sub)) {
        throw new S3Exception(501, "NotImplemented", "Walrus does not implement ?" + sub);
      }
    }
    if (call.has("tagging")) {
      tagging(call, method);
    } else if (call.target.key() == null) {
      bucket(call, method);
    } else {
      object(call, method);
    }
  }

  /**
   * Walrus keeps no tags: an object's tag set is empty (clients such as awscli read it before a
   * copy), a bucket has none; setting tags is not implemented.
   */
  private void tagging(S3Call call, String method) throws S3Exception, IOException {
    if (!method.equals("GET")) {
      throw new S3Exception(501, "NotImplemented", "Walrus does not keep tags");
    }
    if (call.target.key() == null) {
      buckets.readable(call, com.eucalyptus.walrus.acl.Permission.READ);
      throw new S3Exception(404, "NoSuchTagSet", "The TagSet does not exist");
    }
    objects.readable(call, call.target.bucket(), call.target.key(), com.eucalyptus.walrus.acl.Permission.READ);
    call.xml(200, XmlOut.document("Tagging").open("TagSet").close("TagSet").end("Tagging"));
  }

  private void bucket(S3Call call, String method) throws S3Exception, IOException {
    switch (method) {
      case "GET" -> {
        if (call.has("acl")) {
          buckets.getAcl(call);
        } else if (call.has("location")) {
          buckets.location(call);
        } else if (call.has("versioning")) {
          buckets.versioning(call);
        } else if (call.has("uploads")) {
          multipart.listUploads(call);
        } else if ("2".equals(call.q("list-type"))) {
          lists.listV2(call);
        } else {
          lists.listV1(call);
        }
      }
      case "HEAD" -> buckets.head(call);
      case "PUT" -> {
        if (call.has("acl")) {
          buckets.putAcl(call);
        } else if (call.has("versioning")) {
          throw new S3Exception(501, "NotImplemented", "Walrus does not implement versioning");
        } else {
          buckets.create(call);
        }
      }
      case "DELETE" -> buckets.delete(call);
      case "POST" -> {
        if (call.has("delete")) {
          deleteObjects.run(call);
        } else {
          throw notAllowed();
        }
      }
      default -> throw notAllowed();
    }
  }

  private void object(S3Call call, String method) throws S3Exception, IOException {
    switch (method) {
      case "GET" -> {
        if (call.has("acl")) {
          objects.getAcl(call);
        } else if (call.has("uploadId")) {
          multipart.listParts(call);
        } else {
          objects.get(call, false);
        }
      }
      case "HEAD" -> objects.get(call, true);
      case "PUT" -> {
        if (call.has("acl")) {
          objects.putAcl(call);
        } else if (call.has("uploadId") || call.has("partNumber")) {
          multipart.uploadPart(call);
        } else if (call.header("x-amz-copy-source") != null) {
          objects.copy(call);
        } else {
          objects.put(call);
        }
      }
      case "DELETE" -> {
        if (call.has("uploadId")) {
          multipart.abort(call);
        } else {
          objects.delete(call);
        }
      }
      case "POST" -> {
        if (call.has("uploads")) {
          multipart.initiate(call);
        } else if (call.has("uploadId")) {
          multipart.complete(call);
        } else {
          throw notAllowed();
        }
      }
      default -> throw notAllowed();
    }
  }

  private static S3Exception notAllowed() {
    return new S3Exception(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
  }
}
