/**
 * The block-storage (EBS) service that runs inside the CLC process. Its implementation is
 * tracked by a later issue; this module only reserves its place in the build.
 */
package com.eucalyptus.storage;
