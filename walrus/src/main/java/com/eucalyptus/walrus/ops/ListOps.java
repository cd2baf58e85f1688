package com.eucalyptus.walrus.ops;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.acl.Permission;
import com.eucalyptus.walrus.http.S3Call;
import com.eucalyptus.walrus.http.XmlOut;
import com.eucalyptus.walrus.metadata.BucketEntity;
import com.eucalyptus.walrus.metadata.Metadata;
import com.eucalyptus.walrus.metadata.ObjectEntity;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** ListObjects (GET bucket) and ListObjectsV2 (list-type=2). */
public final class ListOps {
  private final OpsContext ctx;
  private final BucketOps buckets;

  public ListOps(OpsContext ctx, BucketOps buckets) {
    this.ctx = ctx;
    this.buckets = buckets;
  }

  /** A key as it is written out: url-encoded when the client asked for encoding-type=url. */
  private static String out(String s, boolean url) {
    return s == null || !url ? s : URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static int maxKeys(S3Call call) throws S3Exception {
    String m = call.q("max-keys");
    if (m == null || m.isEmpty()) {
      return 1000;
    }
    try {
      int n = Integer.parseInt(m.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.min(n, 1000);
    } catch (NumberFormatException e) {
      throw new S3Exception(400, "InvalidArgument", "max-keys must be an integer between 0 and 2147483647");
    }
  }

  private static boolean urlEncoding(S3Call call) throws S3Exception {
    String e = call.q("encoding-type");
    if (e == null) {
      return false;
    }
    if (!e.equalsIgnoreCase("url")) {
      throw new S3Exception(400, "InvalidArgument", "Invalid Encoding Method specified in Request");
    }
    return true;
  }

  private KeyListing.Page<ObjectEntity> page(S3Call call, String after, int max) throws S3Exception {
    BucketEntity b = buckets.readable(call, Permission.READ);
    List<ObjectEntity> all = ctx.meta().tx(s -> Metadata.objects(s, b.name, call.q("prefix")));
    return KeyListing.list(all, o -> o.key, call.q("prefix"), after, call.q("delimiter"), max);
  }

  public void listV1(S3Call call) throws S3Exception, IOException {
    int max = maxKeys(call);
    boolean url = urlEncoding(call);
    String marker = call.q("marker");
    KeyListing.Page<ObjectEntity> page = page(call, marker, max);
    XmlOut x = XmlOut.document("ListBucketResult");
    x.leaf("Name", call.target.bucket()).leaf("Prefix", nz(out(call.q("prefix"), url))).leaf("Marker", nz(out(marker, url)))
        .leaf("MaxKeys", max);
    if (call.q("delimiter") != null) {
      x.leaf("Delimiter", out(call.q("delimiter"), url));
    }
    x.leaf("IsTruncated", page.truncated());
    if (page.truncated()) {
      x.leaf("NextMarker", out(page.nextMarker(), url));
    }
    if (url) {
      x.leaf("EncodingType", "url");
    }
    contents(x, page, url, true);
    call.xml(200, x.end("ListBucketResult"));
  }

  public void listV2(S3Call call) throws S3Exception, IOException {
    int max = maxKeys(call);
    boolean url = urlEncoding(call);
    String token = call.q("continuation-token");
    String startAfter = call.q("start-after");
    String after = startAfter;
    if (token != null) {
      try {
        after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new S3Exception(400, "InvalidArgument", "The continuation token provided is incorrect");
      }
    }
    KeyListing.Page<ObjectEntity> page = page(call, after, max);
    XmlOut x = XmlOut.document("ListBucketResult");
    x.leaf("Name", call.target.bucket()).leaf("Prefix", nz(out(call.q("prefix"), url)));
    if (startAfter != null) {
      x.leaf("StartAfter", out(startAfter, url));
    }
    if (token != null) {
      x.leaf("ContinuationToken", token);
    }
    x.leaf("KeyCount", page.count()).leaf("MaxKeys", max);
    if (call.q("delimiter") != null) {
      x.leaf("Delimiter", out(call.q("delimiter"), url));
    }
    x.leaf("IsTruncated", page.truncated());
    if (page.truncated()) {
      x.leaf("NextContinuationToken",
          Base64.getUrlEncoder().withoutPadding().encodeToString(page.nextMarker().getBytes(StandardCharsets.UTF_8)));
    }
    if (url) {
      x.leaf("EncodingType", "url");
    }
    contents(x, page, url, "true".equalsIgnoreCase(call.q("fetch-owner")));
    call.xml(200, x.end("ListBucketResult"));
  }

  private void contents(XmlOut x, KeyListing.Page<ObjectEntity> page, boolean url, boolean owners) {
    Map<String, String> names = new HashMap<>();
    for (ObjectEntity o : page.contents()) {
      x.open("Contents").leaf("Key", out(o.key, url)).leaf("LastModified", XmlOut.iso(o.lastModified))
          .leaf("ETag", "\"" + o.etag + "\"").leaf("Size", o.size);
      if (owners) {
        String name = names.computeIfAbsent(o.ownerId, ctx.aclXml()::displayName);
        x.open("Owner").leaf("ID", o.ownerId).leaf("DisplayName", name).close("Owner");
      }
      x.leaf("StorageClass", "STANDARD").close("Contents");
    }
    for (String p : page.commonPrefixes()) {
      x.open("CommonPrefixes").leaf("Prefix", out(p, url)).close("CommonPrefixes");
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
