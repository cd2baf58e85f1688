package com.eucalyptus.cc.network.host;

import com.eucalyptus.cc.network.model.GroupRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names of the CC's iptables chains. The five chains hooked from the built-in chains are fixed
 * ({@code EUCA-*}; filter's {@link #LOCAL} is not called EUCA-OUTPUT, which is nat's DNAT chain);
 * a security group's chain is {@code <user>-<group>} as in 1.5.2 (the guide's troubleshooting
 * says {@code iptables -L <username>-<groupname>}) whenever that name is safe, else a short name
 * made from it.
 *
 * <p>The rule (docs/network.md, "Group chain names"): {@code <user>-<group>} is used as it is
 * when it has at most {@value #MAX} characters, only {@code A-Z a-z 0-9 _ . -}, the user part has
 * no '-' (so that "a-b"+"c" and "a"+"b-c" cannot share a chain) and it does not start with
 * {@code EUCA-} (the CC's fixed chains). Otherwise it is the name with every other character
 * turned into '_', cut to 19 characters, then '~' and the first 8 hex digits of SHA-256(user, NUL,
 * group) in UTF-8. '~' never appears in an unmapped name, so a mapped name cannot equal another
 * group's unmapped one; the hash keeps two long names with the same start apart.
 */
public final class ChainNames {
  /** iptables refuses chain names of 29 characters or more. */
  public static final int MAX = 28;
  public static final String FORWARD = "EUCA-FORWARD";
  /** filter, hooked from OUTPUT: the groups' rules for the front end's own connections to the guests. */
  public static final String LOCAL = "EUCA-LOCAL";
  public static final String PREROUTING = "EUCA-PREROUTING";
  public static final String OUTPUT = "EUCA-OUTPUT";
  public static final String POSTROUTING = "EUCA-POSTROUTING";
  static final String RESERVED_PREFIX = "EUCA-";
  private static final int HASH_HEX = 8;
  private static final int CUT = MAX - 1 - HASH_HEX;

  private ChainNames() {
  }

  /** The chain of {@code group}'s rules. Deterministic: the same group always has the same chain. */
  public static String forGroup(GroupRef group) {
    String name = group.netName();
    if (usableAsIs(group)) {
      return name;
    }
    StringBuilder cut = new StringBuilder();
    for (int k = 0; k < name.length() && cut.length() < CUT; k++) {
      char c = name.charAt(k);
      cut.append(safe(c) ? c : '_');
    }
    if (cut.charAt(0) == '-') {
      cut.setCharAt(0, '_'); // iptables reads a leading '-' as an option
    }
    return cut + "~" + hash(group);
  }

  private static boolean usableAsIs(GroupRef group) {
    String name = group.netName();
    if (name.length() > MAX || group.user().isEmpty() || group.user().contains("-")
        || name.startsWith(RESERVED_PREFIX)) {
      return false;
    }
    return name.chars().allMatch(c -> safe((char) c));
  }

  private static boolean safe(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
        || c == '-';
  }

  private static String hash(GroupRef group) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(group.user().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(group.group().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest()).substring(0, HASH_HEX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
