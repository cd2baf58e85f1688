package com.eucalyptus.walrus.multipart;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.acl.AccessControlList;
import com.eucalyptus.walrus.acl.Permission;
import com.eucalyptus.walrus.acl.RequestAcl;
import com.eucalyptus.walrus.http.ByteRange;
import com.eucalyptus.walrus.http.S3Call;
import com.eucalyptus.walrus.http.XmlIn;
import com.eucalyptus.walrus.http.XmlOut;
import com.eucalyptus.walrus.metadata.BucketEntity;
import com.eucalyptus.walrus.metadata.Metadata;
import com.eucalyptus.walrus.metadata.ObjectEntity;
import com.eucalyptus.walrus.metadata.PartEntity;
import com.eucalyptus.walrus.metadata.UploadEntity;
import com.eucalyptus.walrus.ops.BucketOps;
import com.eucalyptus.walrus.ops.KeyListing;
import com.eucalyptus.walrus.ops.ObjectCommit;
import com.eucalyptus.walrus.ops.ObjectHeaders;
import com.eucalyptus.walrus.ops.ObjectOps;
import com.eucalyptus.walrus.ops.OpsContext;
import com.eucalyptus.walrus.storage.Hex;
import com.eucalyptus.walrus.storage.ObjectFiles;
import com.eucalyptus.walrus.io.BoundedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * Multipart upload: initiate, upload part (or copy a part from an object), complete, abort, list
 * parts, list uploads. Each part is streamed to its own file like a PUT; complete concatenates
 * the part files into a new object file (streamed, never in memory) and commits it like a PUT.
 * Only the initiator and the bucket owner may act on an upload.
 */
public final class MultipartOps {
  /** S3's minimum size for every part but the last. */
  public static final long MIN_PART_BYTES = 5L * 1024 * 1024;
  private final OpsContext ctx;
  private final BucketOps buckets;
  private final ObjectOps objects;
  private final ObjectCommit committer;

  public MultipartOps(OpsContext ctx, BucketOps buckets, ObjectOps objects, ObjectCommit committer) {
    this.ctx = ctx;
    this.buckets = buckets;
    this.objects = objects;
    this.committer = committer;
  }

  public void initiate(S3Call call) throws S3Exception, IOException {
    BucketEntity b = buckets.readable(call, Permission.WRITE);
    String ownerId = call.callerId().orElse(b.ownerId);
    AccessControlList acl = RequestAcl.of(call.req, ownerId, b.ownerId, ctx.users());
    UploadEntity u = new UploadEntity();
    u.uploadId = UUID.randomUUID().toString().replace("-", "");
    u.bucket = b.name;
    u.key = call.target.key();
    u.ownerId = ownerId;
    u.initiatedMillis = System.currentTimeMillis();
    u.headers = ObjectHeaders.from(call.req);
    u.acl = acl.encode();
    ctx.meta().tx(s -> {
      Metadata.lockedBucket(s, u.bucket);
      s.persist(u);
      return null;
    });
    XmlOut x = XmlOut.document("InitiateMultipartUploadResult");
    x.leaf("Bucket", u.bucket).leaf("Key", u.key).leaf("UploadId", u.uploadId);
    call.xml(200, x.end("InitiateMultipartUploadResult"));
  }

  /** The upload, if the caller is its initiator or the bucket's owner. */
  private UploadEntity upload(S3Call call) throws S3Exception {
    String uploadId = call.q("uploadId");
    return ctx.meta().tx(s -> {
      BucketEntity b = Metadata.bucket(s, call.target.bucket());
      UploadEntity u = Metadata.upload(s, b.name, call.target.key(), uploadId);
      String caller = call.callerId().orElse(null);
      boolean initiatorOrOwner = caller == null
          ? OpsContext.aclOf(b.acl, b.ownerId).allows(b.ownerId, call.callerId(), Permission.WRITE) && u.ownerId.equals(b.ownerId)
          : caller.equals(u.ownerId) || caller.equals(b.ownerId);
      if (!initiatorOrOwner) {
        throw OpsContext.accessDenied();
      }
      s.detach(u);
      return u;
    });
  }

  private static int partNumber(S3Call call) throws S3Exception {
    try {
      int n = Integer.parseInt(call.q("partNumber"));
      if (n < 1 || n > 10000) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException | NullPointerException e) {
      throw new S3Exception(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
    }
  }

  public void uploadPart(S3Call call) throws S3Exception, IOException {
    if (call.q("uploadId") == null) {
      throw new S3Exception(400, "InvalidRequest", "partNumber needs an uploadId");
    }
    int number = partNumber(call);
    UploadEntity u = upload(call);
    String copySource = call.header("x-amz-copy-source");
    ObjectFiles.Written w = copySource != null ? copyPart(call, copySource) : receivePart(call, u);
    String partId = u.uploadId + "/" + number;
    String oldFile = ctx.files().commitSection(w.id(), () -> ctx.meta().tx(s -> {
      Metadata.upload(s, u.bucket, u.key, u.uploadId); // aborted meanwhile: NoSuchUpload, the file goes
      PartEntity p = s.find(PartEntity.class, partId);
      String old = null;
      if (p == null) {
        p = new PartEntity();
        p.id = partId;
        p.uploadId = u.uploadId;
        p.partNumber = number;
      } else {
        old = p.fileId;
      }
      p.fileId = w.id();
      p.size = w.size();
      p.etag = w.md5Hex();
      p.lastModified = System.currentTimeMillis();
      s.persist(p);
      return old;
    }));
    ctx.files().delete(oldFile);
    if (copySource != null) {
      XmlOut x = XmlOut.document("CopyPartResult");
      x.leaf("LastModified", XmlOut.iso(System.currentTimeMillis())).leaf("ETag", "\"" + w.md5Hex() + "\"");
      call.xml(200, x.end("CopyPartResult"));
    } else {
      call.resp.setHeader("ETag", "\"" + w.md5Hex() + "\"");
      call.empty(200);
    }
  }

  private ObjectFiles.Written receivePart(S3Call call, UploadEntity u) throws S3Exception, IOException {
    byte[] md5 = ObjectOps.contentMd5(call);
    long declared = call.bodyLength();
    if (declared > OpsContext.MAX_PUT_BYTES) {
      throw OpsContext.entityTooLarge();
    }
    ObjectFiles.Written w;
    try {
      w = ctx.files().write(call.body(), Math.min(OpsContext.MAX_PUT_BYTES, ctx.maxBucketBytes()));
    } catch (ObjectFiles.TooLargeException e) {
      throw OpsContext.entityTooLarge();
    }
    if (declared >= 0 && w.size() != declared) {
      ctx.files().discard(w.id());
      throw new S3Exception(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header");
    }
    if (md5 != null && !MessageDigest.isEqual(md5, w.md5())) {
      ctx.files().discard(w.id());
      throw ObjectOps.badDigest();
    }
    return w;
  }

  /** UploadPartCopy: the part is a byte range (x-amz-copy-source-range) of an existing object. */
  private ObjectFiles.Written copyPart(S3Call call, String copySource) throws S3Exception, IOException {
    String[] src = ObjectOps.copySource(copySource);
    ObjectEntity o = objects.readable(call, src[0], src[1], Permission.READ);
    ByteRange range = null;
    String r = call.header("x-amz-copy-source-range");
    if (r != null) {
      range = ByteRange.parseCopySourceRange(r, o.size);
    }
    long offset = range == null ? 0 : range.first();
    long length = range == null ? o.size : range.length();
    try (InputStream in = new BoundedInputStream(ctx.files().open(o.fileId, offset), length)) {
      return ctx.files().write(in, length);
    }
  }

  public void complete(S3Call call) throws S3Exception, IOException {
    UploadEntity u = upload(call);
    byte[] body = call.smallBody(4 * 1024 * 1024);
    Element root = XmlIn.parse(body, "MalformedXML");
    List<Element> listed = XmlIn.children(root, "Part");
    if (!XmlIn.name(root).equals("CompleteMultipartUpload") || listed.isEmpty()) {
      throw new S3Exception(400, "MalformedXML",
          "The XML you provided was not well-formed or did not validate against our published schema");
    }
    Map<Integer, PartEntity> stored = new HashMap<>();
    for (PartEntity p : ctx.meta().tx(s -> Metadata.parts(s, u.uploadId))) {
      stored.put(p.partNumber, p);
    }
    List<PartEntity> chosen = new ArrayList<>();
    int previous = 0;
    for (Element e : listed) {
      int number;
      try {
        number = Integer.parseInt(XmlIn.text(e, "PartNumber"));
      } catch (NumberFormatException | NullPointerException ex) {
        throw new S3Exception(400, "MalformedXML", "PartNumber is missing or not a number");
      }
      if (number <= previous) {
        throw new S3Exception(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
      }
      previous = number;
      PartEntity p = stored.get(number);
      String etag = XmlIn.text(e, "ETag");
      if (p == null || etag == null || !etag.replace("\"", "").trim().equals(p.etag)) {
        throw new S3Exception(400, "InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.");
      }
      chosen.add(p);
    }
    for (int i = 0; i < chosen.size() - 1; i++) {
      if (chosen.get(i).size < MIN_PART_BYTES) {
        throw new S3Exception(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
      }
    }
    MessageDigest md5s = ObjectFiles.md5();
    chosen.forEach(p -> md5s.update(Hex.parse(p.etag)));
    String etag = Hex.of(md5s.digest()) + "-" + chosen.size();
    ObjectFiles.Written w = ctx.files().concat(chosen.stream().map(p -> p.fileId).toList());
    List<String> partFiles = new ArrayList<>();
    committer.commit(w, new ObjectCommit.NewObject(u.bucket, u.key, etag, u.headers, u.ownerId,
        OpsContext.aclOf(u.acl, u.ownerId)), (s, bucket) -> {
          Metadata.upload(s, u.bucket, u.key, u.uploadId);
          for (PartEntity p : Metadata.parts(s, u.uploadId)) {
            partFiles.add(p.fileId);
            s.remove(p);
          }
          s.remove(s.find(UploadEntity.class, u.uploadId));
        });
    partFiles.forEach(ctx.files()::delete);
    XmlOut x = XmlOut.document("CompleteMultipartUploadResult");
    x.leaf("Location", call.req.getRequestURL().toString().replaceAll("\\?.*$", "")).leaf("Bucket", u.bucket)
        .leaf("Key", u.key).leaf("ETag", "\"" + etag + "\"");
    call.xml(200, x.end("CompleteMultipartUploadResult"));
  }

  public void abort(S3Call call) throws S3Exception {
    UploadEntity u = upload(call);
    List<String> files = ctx.meta().tx(s -> {
      List<String> ids = new ArrayList<>();
      for (PartEntity p : Metadata.parts(s, u.uploadId)) {
        ids.add(p.fileId);
        s.remove(p);
      }
      UploadEntity row = s.find(UploadEntity.class, u.uploadId);
      if (row != null) {
        s.remove(row);
      }
      return ids;
    });
    files.forEach(ctx.files()::delete);
    call.empty(204);
  }

  public void listParts(S3Call call) throws S3Exception, IOException {
    UploadEntity u = upload(call);
    int max = limit(call.q("max-parts"));
    int marker = 0;
    if (call.q("part-number-marker") != null) {
      try {
        marker = Integer.parseInt(call.q("part-number-marker"));
      } catch (NumberFormatException e) {
        throw new S3Exception(400, "InvalidArgument", "part-number-marker must be an integer");
      }
    }
    int after = marker;
    List<PartEntity> parts = ctx.meta().tx(s -> Metadata.parts(s, u.uploadId)).stream()
        .filter(p -> p.partNumber > after).toList();
    boolean truncated = parts.size() > max;
    List<PartEntity> page = truncated ? parts.subList(0, max) : parts;
    String owner = ctx.aclXml().displayName(u.ownerId);
    XmlOut x = XmlOut.document("ListPartsResult");
    x.leaf("Bucket", u.bucket).leaf("Key", u.key).leaf("UploadId", u.uploadId);
    x.open("Initiator").leaf("ID", u.ownerId).leaf("DisplayName", owner).close("Initiator");
    x.open("Owner").leaf("ID", u.ownerId).leaf("DisplayName", owner).close("Owner");
    x.leaf("StorageClass", "STANDARD").leaf("PartNumberMarker", marker)
        .leaf("NextPartNumberMarker", page.isEmpty() ? marker : page.get(page.size() - 1).partNumber)
        .leaf("MaxParts", max).leaf("IsTruncated", truncated);
    for (PartEntity p : page) {
      x.open("Part").leaf("PartNumber", p.partNumber).leaf("LastModified", XmlOut.iso(p.lastModified))
          .leaf("ETag", "\"" + p.etag + "\"").leaf("Size", p.size).close("Part");
    }
    call.xml(200, x.end("ListPartsResult"));
  }

  public void listUploads(S3Call call) throws S3Exception, IOException {
    BucketEntity b = buckets.readable(call, Permission.READ);
    int max = limit(call.q("max-uploads"));
    String prefix = call.q("prefix") == null ? "" : call.q("prefix");
    String keyMarker = call.q("key-marker");
    String idMarker = call.q("upload-id-marker");
    List<UploadEntity> all = new ArrayList<>(ctx.meta().tx(s -> Metadata.uploads(s, b.name)));
    all.removeIf(u -> !u.key.startsWith(prefix) || before(u, keyMarker, idMarker));
    all.sort(Comparator.comparing((UploadEntity u) -> u.key, KeyListing.UTF8_ORDER)
        .thenComparingLong(u -> u.initiatedMillis).thenComparing(u -> u.uploadId));
    boolean truncated = all.size() > max;
    List<UploadEntity> page = truncated ? all.subList(0, max) : all;
    XmlOut x = XmlOut.document("ListMultipartUploadsResult");
    x.leaf("Bucket", b.name).leaf("KeyMarker", keyMarker == null ? "" : keyMarker)
        .leaf("UploadIdMarker", idMarker == null ? "" : idMarker);
    if (truncated) {
      x.leaf("NextKeyMarker", page.get(page.size() - 1).key).leaf("NextUploadIdMarker", page.get(page.size() - 1).uploadId);
    }
    x.leaf("Prefix", prefix).leaf("MaxUploads", max).leaf("IsTruncated", truncated);
    for (UploadEntity u : page) {
      String name = ctx.aclXml().displayName(u.ownerId);
      x.open("Upload").leaf("Key", u.key).leaf("UploadId", u.uploadId)
          .open("Initiator").leaf("ID", u.ownerId).leaf("DisplayName", name).close("Initiator")
          .open("Owner").leaf("ID", u.ownerId).leaf("DisplayName", name).close("Owner")
          .leaf("StorageClass", "STANDARD").leaf("Initiated", XmlOut.iso(u.initiatedMillis)).close("Upload");
    }
    call.xml(200, x.end("ListMultipartUploadsResult"));
  }

  /** Whether an upload comes at or before the (key-marker, upload-id-marker) position. */
  private static boolean before(UploadEntity u, String keyMarker, String idMarker) {
    if (keyMarker == null || keyMarker.isEmpty()) {
      return false;
    }
    int c = KeyListing.UTF8_ORDER.compare(u.key, keyMarker);
    if (c != 0) {
      return c < 0;
    }
    return idMarker == null || idMarker.isEmpty() || u.uploadId.compareTo(idMarker) <= 0;
  }

  private static int limit(String value) throws S3Exception {
    if (value == null || value.isEmpty()) {
      return 1000;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.min(n, 1000);
    } catch (NumberFormatException e) {
      throw new S3Exception(400, "InvalidArgument", "must be a non-negative integer");
    }
  }
}
