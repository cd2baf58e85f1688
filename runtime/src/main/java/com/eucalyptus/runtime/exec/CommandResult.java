package com.eucalyptus.runtime.exec;

import java.util.List;

/** What an external command did: its exit code and what it printed. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {
  public boolean succeeded() {
    return exitCode == 0;
  }

  /** Throws with the command, its exit code and stderr when it failed, so the log says what was run. */
  public CommandResult orThrow() {
    if (!succeeded()) {
      throw new CommandFailedException(this);
    }
    return this;
  }
}
