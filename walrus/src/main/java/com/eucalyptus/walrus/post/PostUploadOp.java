package com.eucalyptus.walrus.post;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.S3Authenticator;
import com.eucalyptus.walrus.http.S3Call;
import com.eucalyptus.walrus.http.WalrusFilter;
import com.eucalyptus.walrus.ops.BucketOps;
import com.eucalyptus.walrus.ops.ObjectCommit;
import com.eucalyptus.walrus.ops.OpsContext;
import java.io.IOException;

/** Browser POST form upload (multipart/form-data to the bucket, authorized by a signed policy). */
public final class PostUploadOp implements WalrusFilter.PostHandler {
  public PostUploadOp(OpsContext ctx, BucketOps buckets, ObjectCommit committer, S3Authenticator authenticator) {}

  @Override
  public void upload(S3Call call) throws S3Exception, IOException {
    throw new S3Exception(501, "NotImplemented", "POST form upload is not implemented yet");
  }
}
