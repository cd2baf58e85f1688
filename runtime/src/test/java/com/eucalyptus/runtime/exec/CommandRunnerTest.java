package com.eucalyptus.runtime.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
  private final CommandRunner runner = new CommandRunner();

  @Test
  void keepsOutputAndExitCode() {
    CommandResult r = runner.run("sh", "-c", "echo out; echo err >&2; exit 3");
    assertEquals(3, r.exitCode());
    assertEquals("out\n", r.stdout());
    assertEquals("err\n", r.stderr());
    CommandFailedException e = assertThrows(CommandFailedException.class, r::orThrow);
    assertTrue(e.getMessage().contains("exit code 3") && e.getMessage().contains("err"), e.getMessage());
  }

  @Test
  void feedsStandardInput() {
    CommandResult r = runner.run(List.of("cat"), "hello".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
    assertEquals("hello", r.orThrow().stdout());
  }

  @Test
  void aMissingProgramIsReportedNotThrown() {
    CommandResult r = runner.run("/nonexistent/program");
    assertEquals(-1, r.exitCode());
  }

  @Test
  void anOverrunningCommandIsKilled() {
    long start = System.nanoTime();
    CommandResult r = runner.run(List.of("sleep", "30"), null, Duration.ofMillis(300));
    assertEquals(124, r.exitCode());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
  }
}
