package com.eucalyptus.runtime.network.transport;

import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command runner that runs nothing: it records every command and answers the ones it was told
 * to (by the command line), every other one with success and no output. The one stand-in these
 * tests use, for what this machine cannot do for real: its kernel has no 8021q, so the vlan
 * transport's commands could not succeed here, and the tests check the exact commands instead.
 */
final class RecordingCommandRunner extends CommandRunner {
  final List<String> commands = new ArrayList<>();
  private final Map<String, CommandResult> answers = new LinkedHashMap<>();

  /** The answer to {@code commandLine} (words joined by single spaces): exit code and stdout. */
  RecordingCommandRunner answer(String commandLine, int exitCode, String stdout) {
    answers.put(commandLine, new CommandResult(List.of(commandLine.split(" ")), exitCode, stdout,
        exitCode == 0 ? "" : "failed"));
    return this;
  }

  @Override
  public synchronized CommandResult run(List<String> command, byte[] stdin, Duration timeout) {
    String line = String.join(" ", command);
    commands.add(line);
    CommandResult r = answers.get(line);
    return r != null ? r : new CommandResult(List.copyOf(command), 0, "", "");
  }
}
