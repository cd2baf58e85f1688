package com.eucalyptus.itests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * python3-boto (boto 2, signature v2 as euca2ools signed) driving the network API through
 * clients/network_boto.py: addresses, key pairs, groups and their rules, RunInstances with an
 * addressing type. An EC2 error prints "ERROR&lt;TAB&gt;code&lt;TAB&gt;message" and exits 3.
 */
public final class NetworkBoto {
  private NetworkBoto() {
  }

  public static Shell.Result run(String endpoint, CloudInstallation.Credentials c, String... command) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", Ec2Clients.script("network_boto.py").toString(),
        endpoint, c.accessKey(), c.secretKey()));
    cmd.addAll(List.of(command));
    return Shell.run(cmd, Map.of(), null, Duration.ofMinutes(2));
  }

  /** The EC2 error code of a call that must be refused. */
  public static String error(String endpoint, CloudInstallation.Credentials c, String... command) {
    Shell.Result r = run(endpoint, c, command);
    assertEquals(3, r.exitCode(), "expected an EC2 error from " + List.of(command) + ": " + r.all());
    return r.stdout().split("\t")[1];
  }
}
