package com.eucalyptus.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EucalyptusConfTest {
  private static final String SAMPLE = """
      # Eucalyptus configuration
      EUCALYPTUS="/opt/eucalyptus"
      INSTANCE_PATH="${EUCALYPTUS}/instances"
      export NODES="10.0.0.2 10.0.0.3:9000"
      CC_PORT=8774
      ENABLE_WS_SECURITY="Y"
      DISABLE_EBS="n"
      MAX_MEM=
      # NC_PORT="1"
      LOGLEVEL='DEBUG'
      SWAP_SIZE=512 # megabytes
      """;

  @Test
  void readsQuotedUnquotedExportedAndCommentedLines() {
    EucalyptusConf c = EucalyptusConf.parse(SAMPLE);
    assertEquals("/opt/eucalyptus", c.get("EUCALYPTUS", null));
    assertEquals("/opt/eucalyptus/instances", c.get("INSTANCE_PATH", null));
    assertEquals("10.0.0.2 10.0.0.3:9000", c.get("NODES", null));
    assertEquals(8774, c.getInt("CC_PORT", 0));
    assertEquals("DEBUG", c.get("LOGLEVEL", "INFO"));
    assertEquals(512, c.getInt("SWAP_SIZE", 0));
  }

  @Test
  void emptyAndCommentedKeysFallBackToDefaults() {
    EucalyptusConf c = EucalyptusConf.parse(SAMPLE);
    assertEquals(8775, c.getInt("NC_PORT", 8775));
    assertEquals(-1, c.getInt("MAX_MEM", -1));
    assertTrue(c.find("MAX_MEM").isEmpty());
  }

  @Test
  void booleansAsTheScriptsReadThem() {
    EucalyptusConf c = EucalyptusConf.parse(SAMPLE);
    assertTrue(c.getBoolean("ENABLE_WS_SECURITY", false));
    assertFalse(c.getBoolean("DISABLE_EBS", true));
    assertTrue(c.getBoolean("MISSING", true));
  }

  @Test
  void aNonNumberIsAClearError() {
    EucalyptusConf c = EucalyptusConf.parse("CC_PORT=\"eighty\"\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.getInt("CC_PORT", 1));
    assertTrue(e.getMessage().contains("CC_PORT"), e.getMessage());
  }
}
