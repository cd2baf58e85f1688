package com.eucalyptus.walrus.ops;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.acl.AccessControlList;
import com.eucalyptus.walrus.acl.Permission;
import com.eucalyptus.walrus.acl.RequestAcl;
import com.eucalyptus.walrus.auth.WalrusUser;
import com.eucalyptus.walrus.http.S3Call;
import com.eucalyptus.walrus.http.XmlIn;
import com.eucalyptus.walrus.http.XmlOut;
import com.eucalyptus.walrus.metadata.BucketEntity;
import com.eucalyptus.walrus.metadata.Metadata;
import com.eucalyptus.walrus.metadata.PartEntity;
import com.eucalyptus.walrus.metadata.UploadEntity;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;

/**
 * The service and bucket operations: ListAllMyBuckets, CreateBucket, DeleteBucket, HEAD bucket,
 * GetBucketLocation, GET/PUT bucket ?acl.
 */
public final class BucketOps {
  private final OpsContext ctx;

  public BucketOps(OpsContext ctx) {
    this.ctx = ctx;
  }

  public void listAllMyBuckets(S3Call call) throws S3Exception, IOException {
    WalrusUser user = call.requireUser();
    List<BucketEntity> buckets = ctx.meta().tx(s -> Metadata.bucketsOf(s, user.canonicalId()));
    XmlOut x = XmlOut.document("ListAllMyBucketsResult");
    x.open("Owner").leaf("ID", user.canonicalId()).leaf("DisplayName", user.name()).close("Owner");
    x.open("Buckets");
    for (BucketEntity b : buckets) {
      x.open("Bucket").leaf("Name", b.name).leaf("CreationDate", XmlOut.iso(b.createdMillis)).close("Bucket");
    }
    x.close("Buckets");
    call.xml(200, x.end("ListAllMyBucketsResult"));
  }

  public void create(S3Call call) throws S3Exception, IOException {
    WalrusUser user = call.requireUser();
    String name = call.target.bucket();
    BucketNames.check(name);
    AccessControlList acl = RequestAcl.of(call.req, user.canonicalId(), null, ctx.users());
    String location = null;
    byte[] body = call.smallBody(64 * 1024);
    if (body.length > 0) {
      Element root = XmlIn.parse(body, "MalformedXML");
      location = XmlIn.text(root, "LocationConstraint");
    }
    String loc = location;
    int max = ctx.settings().maxBucketsPerUser().getAsInt();
    try {
      ctx.meta().tx(s -> {
        BucketEntity existing = s.find(BucketEntity.class, name);
        if (existing != null) {
          throw existing.ownerId.equals(user.canonicalId())
              ? new S3Exception(409, "BucketAlreadyOwnedByYou",
                  "Your previous request to create the named bucket succeeded and you already own it.")
              : alreadyExists();
        }
        if (max >= 0 && Metadata.bucketsOf(s, user.canonicalId()).size() >= max) {
          throw new S3Exception(400, "TooManyBuckets", "You have attempted to create more buckets than allowed");
        }
        BucketEntity b = new BucketEntity();
        b.name = name;
        b.ownerId = user.canonicalId();
        b.createdMillis = System.currentTimeMillis();
        b.location = loc == null || loc.isEmpty() ? null : loc;
        b.acl = acl.encode();
        s.persist(b);
        return null;
      });
    } catch (PersistenceException e) {
      throw alreadyExists(); // another request created it at the same moment
    }
    call.resp.setHeader("Location", "/" + name);
    call.empty(200);
  }

  private static S3Exception alreadyExists() {
    return new S3Exception(409, "BucketAlreadyExists",
        "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.");
  }

  /** Deletes an empty bucket (owner only); uploads still in progress in it are aborted. */
  public void delete(S3Call call) throws S3Exception {
    String name = call.target.bucket();
    List<String> partFiles = new ArrayList<>();
    ctx.meta().tx(s -> {
      BucketEntity b = Metadata.lockedBucket(s, name);
      if (!call.callerId().map(b.ownerId::equals).orElse(false)) {
        throw OpsContext.accessDenied();
      }
      if (Metadata.objectCount(s, name) > 0) {
        throw new S3Exception(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
      }
      for (UploadEntity u : Metadata.uploads(s, name)) {
        for (PartEntity p : Metadata.parts(s, u.uploadId)) {
          partFiles.add(p.fileId);
          s.remove(p);
        }
        s.remove(u);
      }
      s.remove(b);
      return null;
    });
    partFiles.forEach(ctx.files()::delete);
    call.empty(204);
  }

  public void head(S3Call call) throws S3Exception {
    BucketEntity b = readable(call, Permission.READ);
    call.resp.setHeader("x-amz-bucket-region", b.location == null ? "us-east-1" : b.location);
    call.empty(200);
  }

  public void location(S3Call call) throws S3Exception, IOException {
    BucketEntity b = readable(call, Permission.READ);
    XmlOut x = XmlOut.document("LocationConstraint");
    String xml = x.end("LocationConstraint");
    if (b.location != null) {
      xml = xml.replace("></LocationConstraint>", ">" + XmlOut.escape(b.location) + "</LocationConstraint>");
    }
    call.xml(200, xml);
  }

  /** Walrus keeps one version of each key: versioning was never enabled. */
  public void versioning(S3Call call) throws S3Exception, IOException {
    readable(call, Permission.READ);
    call.xml(200, XmlOut.document("VersioningConfiguration").end("VersioningConfiguration"));
  }

  public void getAcl(S3Call call) throws S3Exception, IOException {
    BucketEntity b = readable(call, Permission.READ_ACP);
    call.xml(200, ctx.aclXml().write(b.ownerId, OpsContext.aclOf(b.acl, b.ownerId)));
  }

  public void putAcl(S3Call call) throws S3Exception, IOException {
    String name = call.target.bucket();
    BucketEntity current = readable(call, Permission.WRITE_ACP);
    AccessControlList acl = newAcl(call, current.ownerId, null);
    ctx.meta().tx(s -> {
      BucketEntity b = Metadata.bucket(s, name);
      b.acl = acl.encode();
      return null;
    });
    call.empty(200);
  }

  /** The ACL a PUT ?acl sets: x-amz-acl or x-amz-grant-* headers, or the AccessControlPolicy body. */
  AccessControlList newAcl(S3Call call, String ownerId, String bucketOwnerId) throws S3Exception, IOException {
    byte[] body = call.smallBody(256 * 1024);
    if (RequestAcl.present(call.req)) {
      if (body.length > 0) {
        throw new S3Exception(400, "UnexpectedContent", "This request does not support content when ACL headers are given");
      }
      return RequestAcl.of(call.req, ownerId, bucketOwnerId, ctx.users());
    }
    if (body.length == 0) {
      throw new S3Exception(400, "MissingSecurityHeader", "Your request was missing a required header: x-amz-acl");
    }
    return ctx.aclXml().read(body);
  }

  /** The bucket, if the caller holds {@code wanted} on it; NoSuchBucket / AccessDenied otherwise. */
  public BucketEntity readable(S3Call call, Permission wanted) throws S3Exception {
    BucketEntity b = ctx.meta().tx(s -> Metadata.bucket(s, call.target.bucket()));
    OpsContext.require(OpsContext.aclOf(b.acl, b.ownerId), b.ownerId, call, wanted);
    return b;
  }
}
