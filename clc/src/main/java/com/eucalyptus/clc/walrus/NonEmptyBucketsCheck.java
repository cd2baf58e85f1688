package com.eucalyptus.clc.walrus;

import com.eucalyptus.clc.accounts.UserResources;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.walrus.metadata.BucketEntity;
import com.eucalyptus.walrus.metadata.Metadata;
import java.util.ArrayList;
import java.util.List;

/** A user who still owns a bucket holding objects cannot be deleted (the objects would be lost to everyone). */
final class NonEmptyBucketsCheck implements UserResources {
  private final Database db;

  NonEmptyBucketsCheck(Database db) {
    this.db = db;
  }

  @Override
  public List<String> whatBlocksDeletion(String user) {
    return db.tx(s -> {
      List<String> out = new ArrayList<>();
      for (BucketEntity b : Metadata.bucketsOf(s, AccountsWalrusUsers.canonicalId(user))) {
        long n = Metadata.objectCount(s, b.name);
        if (n > 0) {
          out.add("owns the bucket " + b.name + " holding " + n + (n == 1 ? " object" : " objects"));
        }
      }
      return out;
    });
  }
}
