package com.eucalyptus.runtime.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonLoggingTest {
  @TempDir
  Path dir;

  @Test
  void theFiveLevelsOfTheOriginal() {
    assertEquals(Level.DEBUG, DaemonLogging.parseLevel("DEBUG"));
    assertEquals(Level.INFO, DaemonLogging.parseLevel("info"));
    assertEquals(Level.WARN, DaemonLogging.parseLevel("WARN"));
    assertEquals(Level.ERROR, DaemonLogging.parseLevel("ERROR"));
    assertEquals(Level.FATAL, DaemonLogging.parseLevel("FATAL"));
    assertEquals(Level.INFO, DaemonLogging.parseLevel(""));
  }

  @Test
  void ccLogsAtLoglevelAndCommandsGoToTheGuidesFile() throws Exception {
    LoggerContext ctx = DaemonLogging.init("cc", dir, "WARN");
    try {
      ctx.getLogger("com.eucalyptus.cc.X").info("hidden-info");
      ctx.getLogger("com.eucalyptus.cc.X").error("shown-error");
      ctx.getLogger(DaemonLogging.COMMANDS_LOGGER).info("exec: iptables -L => exit 0");
    } finally {
      ctx.stop();
    }
    String cc = Files.readString(dir.resolve("cc.log"));
    assertTrue(cc.contains("shown-error"), cc);
    assertFalse(cc.contains("hidden-info"), cc);
    assertTrue(Files.readString(dir.resolve("httpd-cc_error_log")).contains("iptables -L"));
  }
}
