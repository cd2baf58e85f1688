package com.eucalyptus.clc.compute.instances;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Instance and reservation ids as 1.5.2 made them: {@code i-} or {@code r-} and 8 upper-case hex
 * digits. Random, so ids are not guessable and do not reveal how many instances ran; a collision
 * with an id still known is drawn again.
 */
public final class InstanceIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private InstanceIds() {
  }

  public static String newInstanceId(Predicate<String> taken) {
    return draw("i-", taken);
  }

  public static String newReservationId(Predicate<String> taken) {
    return draw("r-", taken);
  }

  private static String draw(String prefix, Predicate<String> taken) {
    while (true) {
      String id = prefix + String.format(Locale.ROOT, "%08X", RANDOM.nextInt());
      if (!taken.test(id)) {
        return id;
      }
    }
  }

  /** Whether {@code id} looks like an instance id (EC2 answers InvalidInstanceID.Malformed otherwise). */
  public static boolean isInstanceId(String id) {
    return id != null && id.matches("i-[0-9A-Fa-f]{8}");
  }

  /**
   * The instance's MAC address, as 1.5.2 made it (VmInstances.getAsMAC): d0:0d: and the id's 8 hex
   * digits, in lower case as libvirt and dhcpd leases write MACs (so the CC can compare them as text).
   */
  public static String mac(String instanceId) {
    String hex = instanceId.substring(2, 10).toLowerCase(java.util.Locale.ROOT);
    return "d0:0d:" + hex.substring(0, 2) + ":" + hex.substring(2, 4) + ":" + hex.substring(4, 6) + ":"
        + hex.substring(6, 8);
  }
}
