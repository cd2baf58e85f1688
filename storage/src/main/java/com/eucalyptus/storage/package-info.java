/**
 * The block-storage (EBS) service that runs inside the CLC process: {@code controller} is what
 * the CLC calls, {@code backend} the interface every backend implements, {@code backend.nbd} the
 * default backend (sparse files exported by qemu-storage-daemon over NBD with TLS). See
 * docs/storage.md.
 */
package com.eucalyptus.storage;
