package com.eucalyptus.runtime.exec;

/** An external command exited non-zero (or could not be started, exit code -1). */
public class CommandFailedException extends RuntimeException {
  private final transient CommandResult result;

  public CommandFailedException(CommandResult result) {
    super("command " + String.join(" ", result.command()) + " failed with exit code " + result.exitCode()
        + (result.stderr().isBlank() ? "" : ": " + result.stderr().strip()));
    this.result = result;
  }

  public CommandResult result() {
    return result;
  }
}
