package com.eucalyptus.walrus.metadata;

import com.eucalyptus.walrus.S3Exception;
import jakarta.persistence.LockModeType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.Session;

/** Walrus's queries over its entities, all through the CLC's transactions (portable HQL only). */
public final class Metadata {
  /** Work that may fail with an S3 error; the transaction is then rolled back. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Session s) throws S3Exception;
  }

  /** Carries an S3Exception out of a transaction's Function. */
  private static final class Failure extends RuntimeException {
    final S3Exception error;

    Failure(S3Exception error) {
      super(error.getMessage(), null, false, false);
      this.error = error;
    }
  }

  private final Transactions transactions;

  public Metadata(Transactions transactions) {
    this.transactions = transactions;
  }

  public <T> T tx(Work<T> work) throws S3Exception {
    try {
      return transactions.tx(s -> {
        try {
          return work.apply(s);
        } catch (S3Exception e) {
          throw new Failure(e);
        }
      });
    } catch (Failure f) {
      throw f.error;
    }
  }

  /** Every entity class Walrus keeps; the CLC's Database registers them. */
  public static final List<Class<?>> ENTITIES =
      List.of(BucketEntity.class, ObjectEntity.class, UploadEntity.class, PartEntity.class);

  public static BucketEntity bucket(Session s, String name) throws S3Exception {
    BucketEntity b = name == null ? null : s.find(BucketEntity.class, name);
    if (b == null) {
      throw new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist");
    }
    return b;
  }

  /**
   * The bucket, locked until the transaction ends: a write commits into it and a delete removes it
   * one after the other, so no object row is committed into a bucket being deleted and two
   * writes cannot both slip under the bucket size limit.
   */
  public static BucketEntity lockedBucket(Session s, String name) throws S3Exception {
    BucketEntity b = name == null ? null : s.find(BucketEntity.class, name, LockModeType.PESSIMISTIC_WRITE);
    if (b == null) {
      throw new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist");
    }
    return b;
  }

  public static ObjectEntity object(Session s, String bucket, String key) {
    return s.createQuery("from ObjectEntity where bucket = :b and key = :k", ObjectEntity.class)
        .setParameter("b", bucket).setParameter("k", key).getResultStream().findFirst().orElse(null);
  }

  public static List<ObjectEntity> objects(Session s, String bucket) {
    return s.createQuery("from ObjectEntity where bucket = :b", ObjectEntity.class).setParameter("b", bucket).getResultList();
  }

  /**
   * At least the bucket's objects whose key starts with {@code prefix} (the caller filters
   * exactly): portable, no LIKE and its escapes; the prefix is cut before any surrogate pair,
   * which databases count differently (code points or UTF-16 units).
   */
  public static List<ObjectEntity> objects(Session s, String bucket, String prefix) {
    int cut = 0;
    while (prefix != null && cut < prefix.length() && !Character.isSurrogate(prefix.charAt(cut))) {
      cut++;
    }
    if (cut == 0) {
      return objects(s, bucket);
    }
    String p = prefix.substring(0, cut);
    return s.createQuery("from ObjectEntity where bucket = :b and substring(key, 1, :n) = :p", ObjectEntity.class)
        .setParameter("b", bucket).setParameter("n", p.length()).setParameter("p", p).getResultList();
  }

  public static long objectCount(Session s, String bucket) {
    return s.createQuery("select count(o) from ObjectEntity o where o.bucket = :b", Long.class).setParameter("b", bucket)
        .getSingleResult();
  }

  public static long bucketBytes(Session s, String bucket) {
    Long sum = s.createQuery("select sum(o.size) from ObjectEntity o where o.bucket = :b", Long.class)
        .setParameter("b", bucket).getSingleResult();
    return sum == null ? 0 : sum;
  }

  public static List<BucketEntity> bucketsOf(Session s, String ownerId) {
    return s.createQuery("from BucketEntity where ownerId = :o order by name", BucketEntity.class).setParameter("o", ownerId)
        .getResultList();
  }

  public static UploadEntity upload(Session s, String bucket, String key, String uploadId) throws S3Exception {
    UploadEntity u = uploadId == null ? null : s.find(UploadEntity.class, uploadId);
    if (u == null || !u.bucket.equals(bucket) || !u.key.equals(key)) {
      throw new S3Exception(404, "NoSuchUpload",
          "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
    }
    return u;
  }

  public static List<PartEntity> parts(Session s, String uploadId) {
    return s.createQuery("from PartEntity where uploadId = :u order by partNumber", PartEntity.class)
        .setParameter("u", uploadId).getResultList();
  }

  public static List<UploadEntity> uploads(Session s, String bucket) {
    return s.createQuery("from UploadEntity where bucket = :b", UploadEntity.class).setParameter("b", bucket).getResultList();
  }

  /** The file ids that rows point at: everything else under data/ is garbage. */
  public static Set<String> referencedFiles(Session s) {
    Set<String> ids = new HashSet<>(s.createQuery("select o.fileId from ObjectEntity o", String.class).getResultList());
    ids.addAll(s.createQuery("select p.fileId from PartEntity p", String.class).getResultList());
    return ids;
  }
}
