package com.eucalyptus.walrus.multipart;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.http.S3Call;
import com.eucalyptus.walrus.ops.BucketOps;
import com.eucalyptus.walrus.ops.ObjectCommit;
import com.eucalyptus.walrus.ops.OpsContext;
import java.io.IOException;

/** Multipart upload: initiate, upload part, complete, abort, list parts, list uploads. */
public final class MultipartOps {
  public MultipartOps(OpsContext ctx, BucketOps buckets, ObjectCommit committer) {}

  private static S3Exception todo() {
    return new S3Exception(501, "NotImplemented", "multipart upload is not implemented yet");
  }

  public void initiate(S3Call call) throws S3Exception, IOException {
    throw todo();
  }

  public void uploadPart(S3Call call) throws S3Exception, IOException {
    throw todo();
  }

  public void complete(S3Call call) throws S3Exception, IOException {
    throw todo();
  }

  public void abort(S3Call call) throws S3Exception, IOException {
    throw todo();
  }

  public void listParts(S3Call call) throws S3Exception, IOException {
    throw todo();
  }

  public void listUploads(S3Call call) throws S3Exception, IOException {
    throw todo();
  }
}
