package com.eucalyptus.walrus.post;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.acl.AccessControlList;
import com.eucalyptus.walrus.acl.Permission;
import com.eucalyptus.walrus.auth.PostPolicy;
import com.eucalyptus.walrus.auth.S3Authenticator;
import com.eucalyptus.walrus.auth.WalrusUser;
import com.eucalyptus.walrus.http.S3Call;
import com.eucalyptus.walrus.http.WalrusFilter;
import com.eucalyptus.walrus.http.XmlOut;
import com.eucalyptus.walrus.metadata.BucketEntity;
import com.eucalyptus.walrus.metadata.Metadata;
import com.eucalyptus.walrus.metadata.ObjectEntity;
import com.eucalyptus.walrus.metadata.StoredHeaders;
import com.eucalyptus.walrus.ops.BucketOps;
import com.eucalyptus.walrus.ops.ObjectCommit;
import com.eucalyptus.walrus.ops.ObjectHeaders;
import com.eucalyptus.walrus.ops.OpsContext;
import com.eucalyptus.walrus.storage.ObjectFiles;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Browser POST form upload: a multipart/form-data POST to the bucket whose fields come before the
 * file. The fields are read (small), the policy's signature checked by the authenticator and its
 * conditions here (with the authenticator's {@link PostPolicy}: one reading of a policy for both), then
 * the file part is streamed to disk and committed like a PUT. Answers with
 * success_action_redirect (303), or success_action_status 200/201 (PostResponse XML)/204.
 */
public final class PostUploadOp implements WalrusFilter.PostHandler {
  private static final int MAX_FIELDS_BYTES = 1024 * 1024;
  private final OpsContext ctx;
  private final BucketOps buckets;
  private final ObjectCommit committer;
  private final S3Authenticator authenticator;

  public PostUploadOp(OpsContext ctx, BucketOps buckets, ObjectCommit committer, S3Authenticator authenticator) {
    this.ctx = ctx;
    this.buckets = buckets;
    this.committer = committer;
    this.authenticator = authenticator;
  }

  @Override
  public void upload(S3Call call) throws S3Exception, IOException {
    String bucket = call.target.bucket();
    MultipartFormReader form = new MultipartFormReader(call.req.getInputStream(),
        MultipartFormReader.boundary(call.req.getContentType()));
    Map<String, String> fields = new LinkedHashMap<>();
    int total = 0;
    String filename = null;
    boolean file = false;
    while (form.next()) {
      String name = form.dispositionParam("name");
      if (name == null) {
        throw MultipartFormReader.malformed("a part without a name");
      }
      if (name.equalsIgnoreCase("file")) {
        filename = form.dispositionParam("filename");
        if (!fields.containsKey("content-type") && form.headers().get("content-type") != null) {
          fields.put("content-type", form.headers().get("content-type"));
        }
        file = true;
        break;
      }
      String value = form.text(MAX_FIELDS_BYTES);
      total += value.length();
      if (total > MAX_FIELDS_BYTES) {
        throw new S3Exception(400, "MaxPostPreDataLengthExceeded", "Your POST request fields preceding the upload file were too large.");
      }
      fields.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
    }
    if (!file) {
      throw new S3Exception(400, "InvalidArgument", "POST requires exactly one file upload per request.");
    }
    String key = fields.get("key");
    if (key == null || key.isEmpty()) {
      throw new S3Exception(400, "InvalidArgument", "Bucket POST must contain a field named 'key'.");
    }
    key = key.replace("${filename}", filename == null ? "" : filename);
    Optional<WalrusUser> user = authenticator.verifyPostPolicy(fields);
    PostPolicy policy = null;
    if (fields.containsKey("policy")) {
      policy = PostPolicy.parse(fields.get("policy"));
      Map<String, String> checked = new LinkedHashMap<>(fields);
      checked.put("bucket", bucket);
      checked.put("key", key);
      policy.check(checked, -1); // the file's size: once it is read, below
    }
    BucketEntity b = ctx.meta().tx(s -> Metadata.bucket(s, bucket));
    Optional<String> caller = user.map(WalrusUser::canonicalId);
    if (!OpsContext.aclOf(b.acl, b.ownerId).allows(b.ownerId, caller, Permission.WRITE)) {
      throw OpsContext.accessDenied();
    }
    String ownerId = caller.orElse(b.ownerId);
    AccessControlList acl = AccessControlList.canned(fields.get("acl"), ownerId, b.ownerId);
    StoredHeaders headers = headers(fields);
    long limit = Math.min(OpsContext.MAX_PUT_BYTES, policy == null ? Long.MAX_VALUE : policy.maxFileSize());
    limit = Math.min(limit, Math.max(0, ctx.maxBucketBytes() - ctx.meta().tx(s -> Metadata.bucketBytes(s, bucket))));
    ObjectFiles.Written w;
    try {
      w = ctx.files().write(form.content(), limit);
    } catch (ObjectFiles.TooLargeException e) {
      throw OpsContext.entityTooLarge();
    }
    try {
      if (policy != null) {
        policy.checkFileSize(w.size());
      }
    } catch (S3Exception e) {
      ctx.files().discard(w.id());
      throw e;
    }
    ObjectEntity o = committer.commit(w, new ObjectCommit.NewObject(bucket, key, w.md5Hex(), headers, ownerId, acl), null);
    answer(call, fields, o);
  }

  private static StoredHeaders headers(Map<String, String> fields) {
    StoredHeaders h = new StoredHeaders();
    h.contentType = fields.getOrDefault("content-type", ObjectHeaders.DEFAULT_CONTENT_TYPE);
    h.contentDisposition = fields.get("content-disposition");
    h.contentEncoding = fields.get("content-encoding");
    h.cacheControl = fields.get("cache-control");
    h.expires = fields.get("expires");
    Map<String, String> meta = new TreeMap<>();
    fields.forEach((k, v) -> {
      if (k.startsWith("x-amz-meta-") && k.length() > 11) {
        meta.put(k.substring(11), v);
      }
    });
    h.userMetadata = ObjectHeaders.encode(meta);
    return h;
  }

  private void answer(S3Call call, Map<String, String> fields, ObjectEntity o) throws IOException {
    String etag = "\"" + o.etag + "\"";
    String redirect = fields.getOrDefault("success_action_redirect", fields.get("redirect"));
    call.resp.setHeader("ETag", etag);
    String location = call.req.getRequestURL().toString().replaceAll("\\?.*$", "");
    location = location.endsWith("/") ? location : location + "/";
    location += URLEncoder.encode(o.key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    call.resp.setHeader("Location", location);
    if (redirect != null && !redirect.isEmpty() && (redirect.startsWith("http://") || redirect.startsWith("https://"))) {
      String sep = redirect.contains("?") ? "&" : "?";
      call.resp.setHeader("Location", redirect + sep + "bucket=" + enc(o.bucket) + "&key=" + enc(o.key) + "&etag=" + enc(etag));
      call.empty(303);
      return;
    }
    String status = fields.getOrDefault("success_action_status", "204");
    switch (status) {
      case "200" -> call.empty(200);
      case "201" -> {
        XmlOut x = XmlOut.plain("PostResponse");
        x.leaf("Location", location).leaf("Bucket", o.bucket).leaf("Key", o.key).leaf("ETag", etag);
        call.xml(201, x.end("PostResponse"));
      }
      default -> call.empty(204);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
