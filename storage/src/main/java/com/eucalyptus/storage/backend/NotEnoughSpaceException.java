package com.eucalyptus.storage.backend;

import java.io.IOException;

/**
 * A create refused because the storage host has less room left than the volume needs (the
 * EC2 error the CLC answers with is its own; this says the disk itself is short).
 */
public class NotEnoughSpaceException extends IOException {
  public NotEnoughSpaceException(String message) {
    super(message);
  }
}
