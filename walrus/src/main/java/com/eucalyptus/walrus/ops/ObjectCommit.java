package com.eucalyptus.walrus.ops;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.acl.AccessControlList;
import com.eucalyptus.walrus.metadata.BucketEntity;
import com.eucalyptus.walrus.metadata.Metadata;
import com.eucalyptus.walrus.metadata.ObjectEntity;
import com.eucalyptus.walrus.metadata.StoredHeaders;
import com.eucalyptus.walrus.storage.ObjectFiles;
import jakarta.persistence.PersistenceException;
import java.util.UUID;
import org.hibernate.Session;

/**
 * The last step of every write (PUT, copy, multipart complete, POST upload): the new file is
 * complete and in place; commit the row that points at it (replacing the key's old row), then
 * delete the old file. Until the commit the old object is what readers see; after it, the new
 * one; never a mix.
 */
public final class ObjectCommit {
  private final OpsContext ctx;

  public ObjectCommit(OpsContext ctx) {
    this.ctx = ctx;
  }

  /** Checks and changes made in the commit's transaction. */
  @FunctionalInterface
  public interface InTx {
    void run(Session s, BucketEntity bucket) throws S3Exception;
  }

  /** What to store besides the file. */
  public record NewObject(String bucket, String key, String etag, StoredHeaders headers, String ownerId,
      AccessControlList acl) {}

  /**
   * @param written the new file (in flight until this returns)
   * @param inTx extra checks and changes in the same transaction (e.g. removing the parts of a
   *     completed upload), given the bucket
   */
  public ObjectEntity commit(ObjectFiles.Written written, NewObject o, InTx inTx)
      throws S3Exception {
    long maxBucket = ctx.maxBucketBytes();
    ObjectEntity[] result = new ObjectEntity[1];
    String oldFile = ctx.files().commitSection(written.id(), () -> {
      Metadata.Work<String> work = s -> {
        BucketEntity b = Metadata.lockedBucket(s, o.bucket());
        ObjectEntity row = Metadata.object(s, o.bucket(), o.key());
        long others = Metadata.bucketBytes(s, o.bucket()) - (row == null ? 0 : row.size);
        if (others + written.size() > maxBucket) {
          throw OpsContext.entityTooLarge();
        }
        if (inTx != null) {
          inTx.run(s, b);
        }
        String old = null;
        if (row == null) {
          row = new ObjectEntity();
          row.id = UUID.randomUUID().toString().replace("-", "");
          row.bucket = o.bucket();
          row.key = o.key();
        } else {
          old = row.fileId;
        }
        row.fileId = written.id();
        row.size = written.size();
        row.etag = o.etag();
        row.lastModified = System.currentTimeMillis();
        row.ownerId = o.ownerId();
        row.headers = o.headers().copy();
        row.acl = o.acl().encode();
        s.persist(row);
        result[0] = row;
        return old;
      };
      try {
        return ctx.meta().tx(work);
      } catch (PersistenceException e) {
        return ctx.meta().tx(work); // another PUT made the same new key at the same moment: now we find its row
      }
    });
    if (oldFile != null) {
      ctx.files().delete(oldFile);
    }
    return result[0];
  }
}
