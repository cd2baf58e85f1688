package com.eucalyptus.storage.controller;

import java.io.IOException;

/** Block storage cannot run on this host; the message says why (the backend's problem()). */
public class StorageUnavailableException extends IOException {
  public StorageUnavailableException(String problem) {
    super("block storage is unavailable: " + problem);
  }
}
