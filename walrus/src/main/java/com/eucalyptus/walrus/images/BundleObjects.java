package com.eucalyptus.walrus.images;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.acl.Permission;
import com.eucalyptus.walrus.metadata.Metadata;
import com.eucalyptus.walrus.metadata.ObjectEntity;
import com.eucalyptus.walrus.ops.OpsContext;
import com.eucalyptus.walrus.storage.ObjectFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/**
 * A bundle as Walrus stores it, read in-process: the manifest object {@code bucket/key} and its
 * parts, objects beside it (same "folder"). Used by the CLC's RegisterImage and by the image
 * cache's decryption.
 */
public final class BundleObjects {
  private final Metadata meta;
  private final ObjectFiles files;

  public BundleObjects(Metadata meta, ObjectFiles files) {
    this.meta = meta;
    this.files = files;
  }

  /** The manifest object's bytes and who owns it. */
  public record StoredManifest(String bucket, String key, byte[] bytes, String ownerCanonicalId, String etag) {}

  /**
   * Reads a manifest object.
   *
   * @param reader the caller's canonical id, checked against the object's ACL; empty = the
   *     cloud itself (GetDecryptedImage for a node), which may read any manifest
   * @throws S3Exception 404 NoSuchBucket/NoSuchKey, 403 AccessDenied, 400 when it is too large
   */
  public StoredManifest manifest(String bucket, String key, Optional<String> reader, boolean checkReader)
      throws S3Exception, IOException {
    ObjectEntity o = meta.tx(s -> {
      Metadata.bucket(s, bucket);
      ObjectEntity e = Metadata.object(s, bucket, key);
      if (e == null) {
        throw new S3Exception(404, "NoSuchKey", "The specified key does not exist.");
      }
      s.detach(e);
      return e;
    });
    if (checkReader && !OpsContext.aclOf(o.acl, o.ownerId).allows(o.ownerId, reader, Permission.READ)) {
      throw new S3Exception(403, "AccessDenied", "Access Denied");
    }
    if (o.size > ManifestParser.MAX_MANIFEST_BYTES) {
      throw new S3Exception(400, "InvalidManifest", "the object " + bucket + "/" + key + " is too large to be a manifest");
    }
    try (InputStream in = files.open(o.fileId, 0)) {
      return new StoredManifest(bucket, key, in.readAllBytes(), o.ownerId, o.etag);
    }
  }

  /** Opens the parts named by the manifest stored at {@code bucket/manifestKey}. */
  public PartSource parts(String bucket, String manifestKey) {
    int slash = manifestKey.lastIndexOf('/');
    String folder = slash < 0 ? "" : manifestKey.substring(0, slash + 1);
    return part -> {
      String key = folder + part.filename();
      String fileId;
      try {
        fileId = meta.tx(s -> {
          ObjectEntity e = Metadata.object(s, bucket, key);
          return e == null ? null : e.fileId;
        });
      } catch (S3Exception e) {
        throw new IOException(e.getMessage(), e);
      }
      if (fileId == null) {
        throw new NoSuchFileException(bucket + "/" + key);
      }
      return files.open(fileId, 0);
    };
  }
}
