package com.eucalyptus.itests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * python3-boto (boto 2, signature v2 as euca2ools signed) driving the instance API through
 * clients/instances_boto.py: RunInstances, DescribeInstances, the console, reboot, terminate,
 * CreateKeyPair. An EC2 error prints "ERROR&lt;TAB&gt;code&lt;TAB&gt;message" and exits 3.
 */
public final class InstancesBoto {
  private InstancesBoto() {
  }

  /** Runs one sub-command of the script (its usage lists them) as {@code c}. */
  public static Shell.Result run(String endpoint, CloudInstallation.Credentials c, String... command) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", Ec2Clients.script("instances_boto.py").toString(),
        endpoint, c.accessKey(), c.secretKey()));
    cmd.addAll(List.of(command));
    return Shell.run(cmd, Map.of(), null, Duration.ofMinutes(2));
  }

  /** The EC2 error code of a call that must be refused. */
  public static String error(String endpoint, CloudInstallation.Credentials c, String... command) {
    Shell.Result r = run(endpoint, c, command);
    assertEquals(3, r.exitCode(), "expected an EC2 error: " + r.all());
    return r.stdout().split("\t")[1];
  }

  /** DescribeInstances as {@code c} sees it (all its instances when no id is given), in the order listed. */
  public static List<Instance> describe(String endpoint, CloudInstallation.Credentials c, String... ids) {
    List<String> command = new ArrayList<>(List.of("describe"));
    command.addAll(List.of(ids));
    Shell.Result r = run(endpoint, c, command.toArray(String[]::new)).assertOk();
    return r.stdout().lines().filter(l -> !l.isBlank()).map(Instance::parse).toList();
  }

  /** One instance as python3-boto's DescribeInstances shows it (groups joined by commas). */
  public record Instance(String id, String state, String code, String owner, String reservation, String kernel,
      String ramdisk, String type, String key, String launchIndex, String launchTime, String zone, String privateDns,
      String publicDns, String privateIp, String publicIp, String groups) {
    static Instance parse(String line) {
      String[] f = line.split("\t", -1);
      return new Instance(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14],
          f[15], f[16]);
    }
  }
}
