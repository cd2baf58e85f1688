package com.eucalyptus.runtime.network.transport;

import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every command inside a network namespace the test made ({@code ip netns exec NS …}) and
 * keeps the list of what it ran, so that a transport builds its links in that namespace and never
 * in the machine's own. Tests only: a daemon runs its commands where it runs.
 */
final class NamespaceRunner extends CommandRunner {
  private final String namespace;
  final List<String> commands = new ArrayList<>();

  NamespaceRunner(String namespace) {
    super(Duration.ofMinutes(1));
    this.namespace = namespace;
  }

  @Override
  public synchronized CommandResult run(List<String> command, byte[] stdin, Duration timeout) {
    commands.add(String.join(" ", command));
    List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    inside.addAll(command);
    return super.run(inside, stdin, timeout);
  }
}
