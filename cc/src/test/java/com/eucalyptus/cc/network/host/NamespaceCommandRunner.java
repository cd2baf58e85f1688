package com.eucalyptus.cc.network.host;

import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every command inside a network namespace ({@code ip netns exec NS …}), so that a test's
 * LinuxHostNetwork changes the iptables, addresses and sysctls of a namespace the test made and
 * never the machine's own. Tests only: the CC runs its commands where it runs.
 */
public class NamespaceCommandRunner extends CommandRunner {
  private final String namespace;

  public NamespaceCommandRunner(String namespace) {
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
