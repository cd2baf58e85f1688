package com.eucalyptus.itests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the network tests (NetworkIT, ManagedIT) read the same way: the test image's READY line,
 * a guest's console and DescribeInstances row as its owner sees them, a key pair saved for ssh,
 * the address plan's arithmetic (blocks of VNET_ADDRSPERNET in VNET_SUBNET, block index = the
 * group's network index = its vlan), and libvirt's view of a guest's NIC.
 */
public final class GuestNetworkFacts {
  /** The test image's console line once it has its address, its metadata and its sshd. */
  public static final Pattern READY = Pattern.compile("EUCA-TEST-IMAGE-READY instance-id=(\\S+) ip=(\\S+) key-fingerprint=(\\S+)"
      + " user-data-sha1=(\\S+) user-data=(.*)");

  private GuestNetworkFacts() {
  }

  /** The console output of {@code id} as its owner reads it (GetConsoleOutput, without boto's header line). */
  public static String console(String ec2, CloudInstallation.Credentials c, String id) {
    String out = InstancesBoto.run(ec2, c, "console", id).assertOk().stdout();
    int nl = out.indexOf('\n');
    return nl < 0 ? "" : out.substring(nl + 1);
  }

  /** The instance as {@code c} sees it in DescribeInstances, or null when not listed. */
  public static InstancesBoto.Instance describe(String ec2, CloudInstallation.Credentials c, String id) {
    return InstancesBoto.describe(ec2, c).stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
  }

  /** A key pair made by CreateKeyPair (python3-boto), its private half saved as {@code dir}/NAME.pem for ssh. */
  public static Path createKey(String ec2, CloudInstallation.Credentials c, String name, Path dir) throws IOException {
    Shell.Result key = NetworkBoto.run(ec2, c, "create-key", name).assertOk();
    Path file = dir.resolve(name + ".pem");
    Files.writeString(file, key.stdout().substring(key.stdout().indexOf('\n') + 1));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  public static long ipValue(String ip) {
    long v = 0;
    for (String p : ip.split("\\.")) {
      v = v * 256 + Long.parseLong(p);
    }
    return v;
  }

  public static String ipOf(long v) {
    return (v >> 24 & 255) + "." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
  }

  /** The index of {@code ip}'s block of {@code addrsPerNet} in {@code subnet}: the group's network index (vlan). */
  public static int blockIndex(String subnet, int addrsPerNet, String ip) {
    return (int) ((ipValue(ip) - ipValue(subnet)) / addrsPerNet);
  }

  /** The address at {@code offset} in block {@code index} (offset 1: the CC's router address). */
  public static String inBlock(String subnet, int addrsPerNet, int index, int offset) {
    return ipOf(ipValue(subnet) + (long) index * addrsPerNet + offset);
  }

  /** The prefix length of a block of {@code addrsPerNet} addresses (32 → 27). */
  public static int blockPrefix(int addrsPerNet) {
    return 32 - Integer.numberOfTrailingZeros(addrsPerNet);
  }

  /** The MAC of the guest's NIC as libvirt has it, and the bridge it is on ("mac bridge"). */
  public static String domainInterface(String id) {
    String out = GuestHost.virsh("domiflist", id).stdout();
    return out.lines().map(String::trim).filter(l -> l.contains(":") && !l.startsWith("Interface")).map(l -> {
      String[] f = l.split("\\s+");
      return f[f.length - 1].toLowerCase() + " " + f[2];
    }).findFirst().orElse("(none: " + out.replace('\n', ' ') + ")");
  }

  /** The lines of {@code text} that are not blank, the last {@code n} joined by " | ". */
  public static String tailLines(String text, int n) {
    List<String> l = text.lines().filter(x -> !x.isBlank()).toList();
    return String.join(" | ", l.subList(Math.max(0, l.size() - n), l.size()));
  }
}
