package com.eucalyptus.runtime.soap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The daemons' Axis2 repository folder is gone once the JVM that unpacked it ends normally. */
class Axis2RepositoryTest {
  /** Run in a child JVM: unpacks the repository and prints where. */
  public static void main(String[] args) throws Exception {
    Path dir = Axis2Repository.folder();
    Axis2Repository.newContext();
    System.out.println(dir);
  }

  @Test
  void theFolderIsRemovedWhenTheJvmExits() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Axis2RepositoryTest.class.getName())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    String[] lines = out.split("\n");
    Path dir = Path.of(lines[lines.length - 1].strip());
    assertTrue(dir.getFileName().toString().startsWith("euca-axis2-"), out);
    assertFalse(Files.exists(dir), dir + " is still there after the JVM ended");
  }
}
