package com.eucalyptus.itests.support;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the tail of every daemon log when a test fails, so a CI log says what the daemons saw. */
public final class LogsOnFailure implements TestWatcher {
  private final Supplier<CloudInstallation> cloud;

  public LogsOnFailure(Supplier<CloudInstallation> cloud) {
    this.cloud = cloud;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    CloudInstallation c = cloud.get();
    if (c != null) {
      System.out.println("---- daemon logs after " + context.getDisplayName() + " failed ----\n" + c.tailLogs());
    }
  }
}
