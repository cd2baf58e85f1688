package com.eucalyptus.walrus.auth;

/**
 * What the router made of a request's URL, which the signature checks need to rebuild the
 * resource the client signed.
 *
 * @param bucket the bucket, or null for the service (ListAllMyBuckets)
 * @param key the object key, decoded, or null
 * @param virtualHosted the bucket came from the Host header ({@code <bucket>.s3.<domain>})
 * @param servicePrefix the path the request came in under: {@code "/services/Walrus"}, or
 *     {@code ""} when Walrus answered at {@code /} for its host name
 */
public record S3RequestTarget(String bucket, String key, boolean virtualHosted, String servicePrefix) {}
