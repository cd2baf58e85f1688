package com.eucalyptus.walrus.ops;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.acl.Permission;
import com.eucalyptus.walrus.http.S3Call;
import com.eucalyptus.walrus.http.XmlIn;
import com.eucalyptus.walrus.http.XmlOut;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.List;
import org.w3c.dom.Element;

/**
 * DeleteObjects (POST ?delete): up to 1000 keys; Content-MD5 checked when sent (current SDKs send
 * a CRC checksum instead, which the authenticator checks); Quiet lists only the failures.
 */
public final class DeleteObjectsOp {
  private final ObjectOps objects;
  private final BucketOps buckets;
  private final OpsContext ctx;

  public DeleteObjectsOp(OpsContext ctx, BucketOps buckets, ObjectOps objects) {
    this.ctx = ctx;
    this.buckets = buckets;
    this.objects = objects;
  }

  public void run(S3Call call) throws S3Exception, IOException {
    byte[] md5 = ObjectOps.contentMd5(call);
    byte[] body = call.smallBody(2 * 1024 * 1024);
    if (md5 != null && !MessageDigest.isEqual(md5, ctx.files().md5().digest(body))) {
      throw ObjectOps.badDigest();
    }
    buckets.readable(call, Permission.WRITE);
    Element root = XmlIn.parse(body, "MalformedXML");
    if (!XmlIn.name(root).equals("Delete")) {
      throw malformed();
    }
    boolean quiet = "true".equalsIgnoreCase(XmlIn.text(root, "Quiet"));
    List<Element> items = XmlIn.children(root, "Object");
    if (items.isEmpty() || items.size() > 1000) {
      throw malformed();
    }
    XmlOut x = XmlOut.document("DeleteResult");
    for (Element item : items) {
      Element k = XmlIn.child(item, "Key");
      String key = k == null ? null : k.getTextContent(); // not trimmed: spaces are part of a key
      if (key == null || key.isEmpty()) {
        throw malformed();
      }
      try {
        String file = objects.deleteRow(call.target.bucket(), key);
        ctx.files().delete(file);
        if (!quiet) {
          x.open("Deleted").leaf("Key", key).close("Deleted");
        }
      } catch (S3Exception e) {
        x.open("Error").leaf("Key", key).leaf("Code", e.code()).leaf("Message", e.getMessage()).close("Error");
      }
    }
    call.xml(200, x.end("DeleteResult"));
  }

  private static S3Exception malformed() {
    return new S3Exception(400, "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema");
  }
}
