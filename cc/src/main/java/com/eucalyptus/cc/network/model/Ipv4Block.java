package com.eucalyptus.cc.network.model;

/**
 * An IPv4 block: its network address (as an unsigned 32-bit value in an int) and prefix length.
 * VNET_SUBNET/VNET_NETMASK is one; each security group's share of it (VNET_ADDRSPERNET addresses)
 * is another.
 */
public record Ipv4Block(int network, int prefix) {
  public Ipv4Block {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("prefix " + prefix + " is not 0 to 32");
    }
    if ((network & mask(prefix)) != network) {
      throw new IllegalArgumentException(format(network) + " is not the first address of a /" + prefix);
    }
  }

  /** The block of {@code subnet} with {@code netmask} (dotted quads); both must be well formed. */
  public static Ipv4Block of(String subnet, String netmask) {
    int m = parseAddress(netmask);
    int prefix = Integer.bitCount(m);
    if (m != mask(prefix)) {
      throw new IllegalArgumentException(netmask + " is not a netmask");
    }
    return new Ipv4Block(parseAddress(subnet), prefix);
  }

  /** "a.b.c.d/n" */
  public static Ipv4Block parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return new Ipv4Block(parseAddress(cidr), 32);
    }
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(cidr + " is not an address block (a.b.c.d/n)");
    }
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException(cidr + " is not an address block (a.b.c.d/n)");
    }
    return new Ipv4Block(parseAddress(cidr.substring(0, slash)) & mask(prefix), prefix);
  }

  public static int mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  /** A dotted quad as an int; IllegalArgumentException for anything else. */
  public static int parseAddress(String s) {
    String[] p = s == null ? new String[0] : s.strip().split("\\.", -1);
    if (p.length != 4) {
      throw new IllegalArgumentException("\"" + s + "\" is not an IPv4 address");
    }
    int v = 0;
    for (String part : p) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("\"" + s + "\" is not an IPv4 address");
      }
      int b = Integer.parseInt(part);
      if (b > 255) {
        throw new IllegalArgumentException("\"" + s + "\" is not an IPv4 address");
      }
      v = (v << 8) | b;
    }
    return v;
  }

  public static String format(int a) {
    return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
  }

  public long size() {
    return 1L << (32 - prefix);
  }

  public int netmask() {
    return mask(prefix);
  }

  public String netmaskText() {
    return format(mask(prefix));
  }

  public int broadcast() {
    return network | ~mask(prefix);
  }

  public boolean contains(int address) {
    return (address & mask(prefix)) == network;
  }

  public boolean contains(String address) {
    return contains(parseAddress(address));
  }

  /** The address {@code offset} into the block, as a dotted quad. */
  public String address(long offset) {
    if (offset < 0 || offset >= size()) {
      throw new IllegalArgumentException("offset " + offset + " is outside " + this);
    }
    return format(network + (int) offset);
  }

  @Override
  public String toString() {
    return format(network) + "/" + prefix;
  }
}
