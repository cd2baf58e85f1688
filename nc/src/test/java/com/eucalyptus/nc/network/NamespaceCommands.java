package com.eucalyptus.nc.network;

import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every command inside a network namespace the test made ({@code ip netns exec NS …}), so
 * that the NC's network side builds its bridges and links there and never in the machine's own.
 * Tests only: the NC runs its commands where it runs.
 */
public final class NamespaceCommands extends CommandRunner {
  private final String namespace;

  public NamespaceCommands(String namespace) {
    super(Duration.ofMinutes(1));
    this.namespace = namespace;
  }

  @Override
  public CommandResult run(List<String> command, byte[] stdin, Duration timeout) {
    List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    inside.addAll(command);
    return super.run(inside, stdin, timeout);
  }
}
