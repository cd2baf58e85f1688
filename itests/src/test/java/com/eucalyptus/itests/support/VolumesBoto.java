package com.eucalyptus.itests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * python3-boto (boto 2, signature v2 as euca2ools signed) driving the volume API through
 * clients/volumes_boto.py: CreateVolume, DeleteVolume, DescribeVolumes, AttachVolume,
 * DetachVolume. An EC2 error prints "ERROR&lt;TAB&gt;code&lt;TAB&gt;message" and exits 3.
 */
public final class VolumesBoto {
  private VolumesBoto() {
  }

  /** Runs one sub-command of the script (its usage lists them) as {@code c}. */
  public static Shell.Result run(String endpoint, CloudInstallation.Credentials c, String... command) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", Ec2Clients.script("volumes_boto.py").toString(),
        endpoint, c.accessKey(), c.secretKey()));
    cmd.addAll(List.of(command));
    return Shell.run(cmd, Map.of(), null, Duration.ofMinutes(2));
  }

  /** The EC2 error code of a call that must be refused. */
  public static String error(String endpoint, CloudInstallation.Credentials c, String... command) {
    Shell.Result r = run(endpoint, c, command);
    assertEquals(3, r.exitCode(), "expected an EC2 error from boto " + List.of(command) + ": " + r.all());
    return r.stdout().split("\t")[1];
  }

  /** CreateVolume; returns the new volume's id. */
  public static String create(String endpoint, CloudInstallation.Credentials c, int sizeGb, String zone) {
    Shell.Result r = run(endpoint, c, "create", String.valueOf(sizeGb), zone).assertOk();
    return r.stdout().split("\t")[0].strip();
  }

  /** DescribeVolumes as {@code c} sees it (all its volumes when no id is given). */
  public static List<Volume> describe(String endpoint, CloudInstallation.Credentials c, String... ids) {
    List<String> command = new ArrayList<>(List.of("describe"));
    command.addAll(List.of(ids));
    Shell.Result r = run(endpoint, c, command.toArray(String[]::new)).assertOk();
    return r.stdout().lines().filter(l -> !l.isBlank()).map(Volume::parse).toList();
  }

  /** One volume as python3-boto's DescribeVolumes shows it; the attachment's fields are "" when it has none. */
  public record Volume(String id, int sizeGb, String zone, String status, String createTime, String instance,
      String device, String attachStatus) {
    static Volume parse(String line) {
      String[] f = line.split("\t", -1);
      return new Volume(f[0], Integer.parseInt(f[1]), f[2], f[3], f[4], f[5], f[6], f[7]);
    }
  }
}
