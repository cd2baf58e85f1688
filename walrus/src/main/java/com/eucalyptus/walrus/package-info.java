/**
 * Walrus, the S3-compatible object store served by the CLC at /services/Walrus.
 * Its implementation is tracked by the Walrus issue; this module only reserves its place
 * in the build so the CLC can depend on it without knowing its internals.
 */
package com.eucalyptus.walrus;
