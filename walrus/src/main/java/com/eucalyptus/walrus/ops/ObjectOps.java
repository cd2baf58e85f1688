package com.eucalyptus.walrus.ops;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.acl.AccessControlList;
import com.eucalyptus.walrus.acl.Permission;
import com.eucalyptus.walrus.acl.RequestAcl;
import com.eucalyptus.walrus.acl.RequestAcl;
import com.eucalyptus.walrus.auth.WalrusUser;
import com.eucalyptus.walrus.http.ByteRange;
import com.eucalyptus.walrus.http.Conditions;
import com.eucalyptus.walrus.http.S3Call;
import com.eucalyptus.walrus.http.S3Router;
import com.eucalyptus.walrus.http.XmlOut;
import com.eucalyptus.walrus.metadata.BucketEntity;
import com.eucalyptus.walrus.metadata.Metadata;
import com.eucalyptus.walrus.metadata.ObjectEntity;
import com.eucalyptus.walrus.metadata.StoredHeaders;
import com.eucalyptus.walrus.storage.ObjectFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/** PUT, GET, HEAD, DELETE and copy of one object, and GET/PUT object ?acl. */
public final class ObjectOps {
  private final OpsContext ctx;
  private final BucketOps buckets;
  private final ObjectCommit committer;

  public ObjectOps(OpsContext ctx, BucketOps buckets, ObjectCommit committer) {
    this.ctx = ctx;
    this.buckets = buckets;
    this.committer = committer;
  }

  /** The Content-MD5 header decoded, or null; 400 InvalidDigest when it is not a base64 MD5. */
  public static byte[] contentMd5(S3Call call) throws S3Exception {
    String h = call.header("Content-MD5");
    if (h == null) {
      return null;
    }
    try {
      byte[] md5 = Base64.getDecoder().decode(h.trim());
      if (md5.length != 16) {
        throw new IllegalArgumentException();
      }
      return md5;
    } catch (IllegalArgumentException e) {
      throw new S3Exception(400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
    }
  }

  public static S3Exception badDigest() {
    return new S3Exception(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
  }

  /**
   * Streams the body to a new file (checked against Content-MD5, the declared length and the
   * bucket's size limit) and returns it, still uncommitted.
   */
  ObjectFiles.Written receive(S3Call call, String bucket, long maxBytes) throws S3Exception, IOException {
    byte[] md5 = contentMd5(call);
    long declared = call.bodyLength();
    long room = ctx.maxBucketBytes() - ctx.meta().tx(s -> Metadata.bucketBytes(s, bucket));
    long limit = Math.min(maxBytes, Math.max(0, room));
    if (declared > maxBytes) {
      throw OpsContext.entityTooLarge();
    }
    if (declared > limit) {
      throw OpsContext.entityTooLarge();
    }
    ObjectFiles.Written w;
    try {
      w = ctx.files().write(call.body(), limit);
    } catch (ObjectFiles.TooLargeException e) {
      throw OpsContext.entityTooLarge();
    }
    if (declared >= 0 && w.size() != declared) {
      ctx.files().discard(w.id());
      throw new S3Exception(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header");
    }
    if (md5 != null && !MessageDigest.isEqual(md5, w.md5())) {
      ctx.files().discard(w.id());
      throw badDigest();
    }
    return w;
  }

  public void put(S3Call call) throws S3Exception, IOException {
    String bucket = call.target.bucket();
    BucketEntity b = buckets.readable(call, Permission.WRITE);
    String ownerId = call.callerId().orElse(b.ownerId);
    AccessControlList acl = RequestAcl.of(call.req, ownerId, b.ownerId, ctx.users());
    StoredHeaders headers = ObjectHeaders.from(call.req);
    ObjectFiles.Written w = receive(call, bucket, OpsContext.MAX_PUT_BYTES);
    ObjectEntity o = committer.commit(w, new ObjectCommit.NewObject(bucket, call.target.key(), w.md5Hex(), headers,
        ownerId, acl), null);
    call.resp.setHeader("ETag", "\"" + o.etag + "\"");
    call.empty(200);
  }

  /** The object, if the caller may read it: NoSuchBucket / NoSuchKey / AccessDenied otherwise. */
  public ObjectEntity readable(S3Call call, String bucket, String key, Permission wanted) throws S3Exception {
    ObjectEntity o = ctx.meta().tx(s -> {
      BucketEntity b = Metadata.bucket(s, bucket);
      ObjectEntity row = Metadata.object(s, bucket, key);
      if (row == null) {
        // only who may list the bucket learns that a key does not exist
        if (!OpsContext.aclOf(b.acl, b.ownerId).allows(b.ownerId, call.callerId(), Permission.READ)) {
          throw OpsContext.accessDenied();
        }
        throw new S3Exception(404, "NoSuchKey", "The specified key does not exist.");
      }
      s.detach(row);
      return row;
    });
    OpsContext.require(OpsContext.aclOf(o.acl, o.ownerId), o.ownerId, call, wanted);
    return o;
  }

  /** GET and HEAD: conditions, range, the stored headers, then the bytes streamed from disk. */
  public void get(S3Call call, boolean head) throws S3Exception, IOException {
    for (int attempt = 0; ; attempt++) {
      ObjectEntity o = readable(call, call.target.bucket(), call.target.key(), Permission.READ);
      try {
        send(call, o, head);
        return;
      } catch (NoSuchFileException e) {
        if (attempt > 0) {
          throw e;
        }
        // overwritten between the row read and the open: read the new row
      }
    }
  }

  private void send(S3Call call, ObjectEntity o, boolean head) throws S3Exception, IOException {
    String etag = "\"" + o.etag + "\"";
    try {
      Conditions.check(call.header("If-Match"), call.header("If-None-Match"), call.header("If-Modified-Since"),
          call.header("If-Unmodified-Since"), o.etag, o.lastModified);
    } catch (Conditions.NotModified e) {
      call.resp.setHeader("ETag", etag);
      call.resp.setHeader("Last-Modified", HttpDates.format(o.lastModified));
      call.resp.setStatus(304);
      return;
    }
    ByteRange range = ByteRange.parse(call.header("Range"), o.size);
    var resp = call.resp;
    if (range != null) {
      resp.setStatus(206);
      resp.setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + o.size);
    } else {
      resp.setStatus(200);
    }
    long offset = range == null ? 0 : range.first();
    long length = range == null ? o.size : range.length();
    ObjectHeaders.apply(o.headers, call);
    resp.setHeader("ETag", etag);
    resp.setHeader("Last-Modified", HttpDates.format(o.lastModified));
    resp.setHeader("Accept-Ranges", "bytes");
    resp.setContentLengthLong(length);
    if (head) {
      if (!ctx.files().exists(o.fileId)) {
        throw new NoSuchFileException(o.fileId);
      }
      return;
    }
    try (var in = ctx.files().open(o.fileId, offset)) {
      // opened before the first byte is sent: a concurrent overwrite can still be retried
      OutputStream out = resp.getOutputStream();
      byte[] buf = new byte[256 * 1024];
      long left = length;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException("object file " + o.fileId + " is shorter than its row says");
        }
        out.write(buf, 0, n);
        left -= n;
      }
      out.flush();
    }
  }

  public void delete(S3Call call) throws S3Exception {
    String bucket = call.target.bucket();
    buckets.readable(call, Permission.WRITE);
    String file = deleteRow(bucket, call.target.key());
    ctx.files().delete(file);
    call.empty(204);
  }

  /** Removes a key's row; returns its file, to delete after the commit (null when there was none). */
  String deleteRow(String bucket, String key) throws S3Exception {
    return ctx.meta().tx(s -> {
      ObjectEntity o = Metadata.object(s, bucket, key);
      if (o == null) {
        return null;
      }
      s.remove(o);
      return o.fileId;
    });
  }

  public void getAcl(S3Call call) throws S3Exception, IOException {
    ObjectEntity o = readable(call, call.target.bucket(), call.target.key(), Permission.READ_ACP);
    call.xml(200, ctx.aclXml().write(o.ownerId, OpsContext.aclOf(o.acl, o.ownerId)));
  }

  public void putAcl(S3Call call) throws S3Exception, IOException {
    ObjectEntity o = readable(call, call.target.bucket(), call.target.key(), Permission.WRITE_ACP);
    BucketEntity b = ctx.meta().tx(s -> Metadata.bucket(s, call.target.bucket()));
    AccessControlList acl = buckets.newAcl(call, o.ownerId, b.ownerId);
    ctx.meta().tx(s -> {
      ObjectEntity row = Metadata.object(s, o.bucket, o.key);
      if (row == null) {
        throw new S3Exception(404, "NoSuchKey", "The specified key does not exist.");
      }
      row.acl = acl.encode();
      return null;
    });
    call.empty(200);
  }

  /** PUT with x-amz-copy-source: copies the source's bytes to a new file, then commits as a PUT. */
  public void copy(S3Call call) throws S3Exception, IOException {
    String[] source = copySource(call.header("x-amz-copy-source"));
    String bucket = call.target.bucket();
    BucketEntity b = buckets.readable(call, Permission.WRITE);
    WalrusUser user = call.requireUser();
    ObjectEntity src = readable(call, source[0], source[1], Permission.READ);
    try {
      Conditions.check(call.header("x-amz-copy-source-if-match"), call.header("x-amz-copy-source-if-none-match"),
          call.header("x-amz-copy-source-if-modified-since"), call.header("x-amz-copy-source-if-unmodified-since"),
          src.etag, src.lastModified);
    } catch (Conditions.NotModified e) {
      throw new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
    }
    String directive = call.header("x-amz-metadata-directive");
    boolean replace;
    if (directive == null || directive.equalsIgnoreCase("COPY")) {
      replace = false;
    } else if (directive.equalsIgnoreCase("REPLACE")) {
      replace = true;
    } else {
      throw new S3Exception(400, "InvalidArgument", "Unknown metadata directive.");
    }
    if (!replace && source[0].equals(bucket) && source[1].equals(call.target.key())) {
      throw new S3Exception(400, "InvalidRequest",
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
    }
    StoredHeaders headers = replace ? ObjectHeaders.from(call.req) : src.headers.copy();
    AccessControlList acl = RequestAcl.of(call.req, user.canonicalId(), b.ownerId, ctx.users());
    ObjectFiles.Written w;
    try {
      w = ctx.files().concat(List.of(src.fileId));
    } catch (NoSuchFileException e) {
      throw new S3Exception(404, "NoSuchKey", "The specified key does not exist.");
    }
    ObjectEntity o = committer.commit(w, new ObjectCommit.NewObject(bucket, call.target.key(), w.md5Hex(), headers,
        user.canonicalId(), acl), null);
    XmlOut x = XmlOut.document("CopyObjectResult");
    x.leaf("LastModified", XmlOut.iso(o.lastModified)).leaf("ETag", "\"" + o.etag + "\"");
    call.xml(200, x.end("CopyObjectResult"));
  }

  /** "/bucket/key" or "bucket/key", url-encoded, maybe with "?versionId=". */
  public static String[] copySource(String header) throws S3Exception {
    String h = header.trim();
    int q = h.indexOf('?');
    if (q >= 0) {
      h = h.substring(0, q);
    }
    if (h.startsWith("/")) {
      h = h.substring(1);
    }
    int slash = h.indexOf('/');
    if (slash <= 0 || slash == h.length() - 1) {
      throw new S3Exception(400, "InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
    }
    return new String[] {S3Router.decode(h.substring(0, slash)), S3Router.decode(h.substring(slash + 1))};
  }
}
