package com.eucalyptus.walrus;

import java.nio.file.Path;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What Walrus takes from the cloud's configuration. The suppliers are asked on every request, so
 * a property changed with euca_conf --set-property applies at once.
 *
 * @param storageRoot the Walrus path (walrus.storage.path), read at start
 * @param dnsDomain cloud.dns.domain: Walrus answers at / for s3.&lt;it&gt; and walrus.&lt;it&gt;
 * @param maxBucketsPerUser walrus.max.buckets.per.user
 * @param maxBucketSizeMb walrus.max.bucket.size.mb
 */
public record WalrusSettings(Path storageRoot, Supplier<String> dnsDomain, IntSupplier maxBucketsPerUser,
    LongSupplier maxBucketSizeMb) {}
