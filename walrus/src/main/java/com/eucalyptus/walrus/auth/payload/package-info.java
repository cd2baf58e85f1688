/**
 * The request body as object bytes, checked as it streams: {@link
 * com.eucalyptus.walrus.auth.payload.CheckedPayloadInputStream} (a plain body and its SHA-256 or
 * x-amz-checksum-*), {@link com.eucalyptus.walrus.auth.payload.AwsChunkedInputStream} (aws-chunked:
 * chunk signatures chained by {@link com.eucalyptus.walrus.auth.payload.ChunkSigner}, checksum
 * trailers), {@link com.eucalyptus.walrus.auth.payload.TransferChunkedPayloadInputStream} (aws-chunked
 * uploads the servlet container has already de-chunked), and the checksums S3 accepts ({@link
 * com.eucalyptus.walrus.auth.payload.ChecksumAlgorithm}, {@link
 * com.eucalyptus.walrus.auth.payload.Crc64Nvme}). None of them holds more than a read buffer of the
 * body.
 */
package com.eucalyptus.walrus.auth.payload;
