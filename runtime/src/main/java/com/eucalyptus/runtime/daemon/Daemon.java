package com.eucalyptus.runtime.daemon;

import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The end of every daemon's main: serve until SIGTERM (the init script's stop), then shut down cleanly. */
public final class Daemon {
  private Daemon() {
  }

  public static void runUntilStopped(String name, Runnable stop) throws InterruptedException {
    Logger log = LogManager.getLogger(Daemon.class);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("{} stopping", name);
      try {
        stop.run();
      } finally {
        stopped.countDown();
        LogManager.shutdown();
      }
    }, "shutdown"));
    stopped.await();
  }
}
