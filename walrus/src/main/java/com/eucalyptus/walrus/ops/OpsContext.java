package com.eucalyptus.walrus.ops;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.WalrusSettings;
import com.eucalyptus.walrus.acl.AccessControlList;
import com.eucalyptus.walrus.acl.AclXml;
import com.eucalyptus.walrus.acl.Permission;
import com.eucalyptus.walrus.auth.WalrusUsers;
import com.eucalyptus.walrus.http.S3Call;
import com.eucalyptus.walrus.metadata.Metadata;
import com.eucalyptus.walrus.storage.ObjectFiles;

/** What every operation works with: metadata, files, users, settings. */
public record OpsContext(Metadata meta, ObjectFiles files, WalrusUsers users, AclXml aclXml, WalrusSettings settings) {
  /** S3's single-PUT limit (larger objects go through multipart upload). */
  public static final long MAX_PUT_BYTES = 5L * 1024 * 1024 * 1024;

  /** 403 AccessDenied unless the ACL grants {@code wanted} to the caller. */
  public static void require(AccessControlList acl, String ownerId, S3Call call, Permission wanted) throws S3Exception {
    if (!acl.allows(ownerId, call.callerId(), wanted)) {
      throw accessDenied();
    }
  }

  public static S3Exception accessDenied() {
    return new S3Exception(403, "AccessDenied", "Access Denied");
  }

  public static AccessControlList aclOf(String encoded, String ownerId) {
    return AccessControlList.decode(encoded, ownerId);
  }

  /** walrus.max.bucket.size.mb in bytes (0 or less: no limit). */
  public long maxBucketBytes() {
    long mb = settings.maxBucketSizeMb().getAsLong();
    return mb <= 0 ? Long.MAX_VALUE : mb * 1024 * 1024;
  }

  public static S3Exception entityTooLarge() {
    return new S3Exception(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
  }
}
