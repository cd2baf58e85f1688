package com.eucalyptus.cc.network.config;

import com.eucalyptus.cc.network.model.Ipv4Block;
import com.eucalyptus.runtime.config.BadConfigurationException;
import com.eucalyptus.runtime.config.EucalyptusConf;
import com.eucalyptus.runtime.network.VnetKeys;
import com.eucalyptus.runtime.network.VnetMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The CC's networking keys of eucalyptus.conf, read and checked once at start for the chosen
 * VNET_MODE. Anything missing or malformed that the mode needs is a
 * {@link BadConfigurationException} naming the key and the value, so the CC refuses to start
 * instead of running a network that cannot work.
 *
 * <ul>
 *   <li>every mode: VNET_MODE (SYSTEM, STATIC, MANAGED-NOVLAN, MANAGED);</li>
 *   <li>SYSTEM: VNET_PRIVINTERFACE, else VNET_BRIDGE (the interface whose neighbour table gives
 *       the guests' addresses; none means every interface);</li>
 *   <li>STATIC and the MANAGED modes: VNET_INTERFACE; VNET_PRIVINTERFACE and VNET_PUBINTERFACE
 *       (default VNET_INTERFACE); VNET_DHCPDAEMON (an executable; alias VNET_DHCPSERVER);
 *       VNET_DHCPUSER (default root; alias VNET_DHCPUSE); VNET_SUBNET, VNET_NETMASK, VNET_DNS
 *       (one or more addresses);</li>
 *   <li>STATIC also: VNET_BROADCAST, VNET_ROUTER (both in the subnet), VNET_MACMAP
 *       ({@code MAC=IP} pairs, IPs in the subnet);</li>
 *   <li>MANAGED-NOVLAN and MANAGED also: VNET_ADDRSPERNET (a power of two, at least {@value #MIN_ADDRS_PER_NET},
 *       leaving at least one network index 2.. in the subnet; alias VNET_ADDRSPPERNET),
 *       VNET_PUBLICIPS (at least one address; addresses and {@code a-b} ranges, outside the
 *       subnet), VNET_CLOUDIP (optional: the CLC's address for the metadata redirect). MANAGED's
 *       VNET_TRANSPORT and VNET_LOCALIP are read by the runtime's NetworkTransports.</li>
 * </ul>
 *
 * @param macMap STATIC: MAC (lower case) → IP, in the order of VNET_MACMAP (first come first served)
 * @param cloudIp null when VNET_CLOUDIP is unset (the StartNetwork request's source is used)
 */
public record VnetConfig(VnetMode mode, String privateInterface, String publicInterface, String bridge,
    String dhcpDaemon, String dhcpUser, Ipv4Block subnet, String broadcast, String router, List<String> dns,
    int addrsPerNet, List<String> publicIps, Map<String, String> macMap, String cloudIp) {

  /** The smallest VNET_ADDRSPERNET: network, router, broadcast and at least 5 guests. */
  public static final int MIN_ADDRS_PER_NET = 8;
  /** The most addresses VNET_PUBLICIPS may list (a typo like 10.0.0.1-10.9.0.1 should not eat memory). */
  static final int MAX_PUBLIC_IPS = 65536;
  private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}");
  private static final Pattern IFNAME = Pattern.compile("[^\\s/:]{1,15}");

  public VnetConfig {
    dns = dns == null ? List.of() : List.copyOf(dns);
    publicIps = publicIps == null ? List.of() : List.copyOf(publicIps);
    macMap = macMap == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(macMap));
  }

  /** How many blocks of VNET_ADDRSPERNET the subnet holds (the MANAGED modes). */
  public long blocks() {
    return subnet == null || addrsPerNet == 0 ? 0 : subnet.size() / addrsPerNet;
  }

  public static VnetConfig parse(EucalyptusConf conf) {
    return parse(VnetKeys.of(conf));
  }

  public static VnetConfig parse(VnetKeys keys) {
    VnetMode mode = keys.mode();
    String bridge = keys.get("VNET_BRIDGE", null);
    if (mode == VnetMode.SYSTEM) {
      // as before this release: the neighbour table of VNET_PRIVINTERFACE, else VNET_BRIDGE
      String guests = keys.get("VNET_PRIVINTERFACE", bridge);
      return new VnetConfig(mode, guests, null, bridge, null, null, null, null, null, List.of(), 0, List.of(), Map.of(),
          null);
    }
    String neededFor = "it is needed in VNET_MODE=\"" + mode + "\"";
    String iface = keys.find("VNET_INTERFACE").orElse(null);
    String priv = keys.get("VNET_PRIVINTERFACE", iface);
    String pub = keys.get("VNET_PUBINTERFACE", iface);
    if (priv == null) {
      throw BadConfigurationException.missing("VNET_INTERFACE", neededFor
          + " (the front end's interface on the guests' network; VNET_PRIVINTERFACE overrides it)");
    }
    interfaceName(keys.find("VNET_PRIVINTERFACE").isPresent() ? "VNET_PRIVINTERFACE" : "VNET_INTERFACE", priv);
    if (pub != null) {
      interfaceName(keys.find("VNET_PUBINTERFACE").isPresent() ? "VNET_PUBINTERFACE" : "VNET_INTERFACE", pub);
    }
    String daemon = required(keys, "VNET_DHCPDAEMON", neededFor + " (the ISC dhcpd the CC runs, e.g. /usr/sbin/dhcpd)");
    if (!Files.isRegularFile(Path.of(daemon)) || !Files.isExecutable(Path.of(daemon))) {
      throw BadConfigurationException.of("VNET_DHCPDAEMON", daemon, "is not an executable file (install "
          + "isc-dhcp-server, or name its dhcpd)");
    }
    String user = keys.get("VNET_DHCPUSER", "root");
    if (!user.matches("[A-Za-z0-9_.][A-Za-z0-9_.-]*")) {
      throw BadConfigurationException.of("VNET_DHCPUSER", user, "is not a user name");
    }
    Ipv4Block subnet = subnet(keys, neededFor);
    List<String> dns = addresses("VNET_DNS", required(keys, "VNET_DNS", neededFor
        + " (the DNS server the guests are told to use)"));
    String cloud = keys.find("VNET_CLOUDIP").orElse(null);
    if (cloud != null) {
      address("VNET_CLOUDIP", cloud);
    }
    if (mode == VnetMode.STATIC) {
      String broadcast = inSubnet(keys, "VNET_BROADCAST", subnet, neededFor);
      String router = inSubnet(keys, "VNET_ROUTER", subnet, neededFor);
      Map<String, String> map = macMap(required(keys, "VNET_MACMAP", neededFor
          + " (the MAC=IP pairs handed to guests)"), subnet);
      return new VnetConfig(mode, priv, pub, bridge, daemon, user, subnet, broadcast, router, dns, 0, List.of(), map,
          cloud);
    }
    int perNet = addrsPerNet(keys, subnet, neededFor);
    List<String> publicIps = publicIps(required(keys, "VNET_PUBLICIPS", neededFor
        + " (at least one public address for the guests; addresses and ranges a-b, space separated)"), subnet);
    return new VnetConfig(mode, priv, pub, bridge, daemon, user, subnet, null, null, dns, perNet, publicIps, Map.of(),
        cloud);
  }

  private static String required(VnetKeys keys, String key, String neededFor) {
    return keys.find(key).orElseThrow(() -> BadConfigurationException.missing(key, neededFor));
  }

  private static void interfaceName(String key, String value) {
    if (!IFNAME.matcher(value).matches()) {
      throw BadConfigurationException.of(key, value, "is not a network interface name");
    }
  }

  static int address(String key, String value) {
    try {
      return Ipv4Block.parseAddress(value);
    } catch (IllegalArgumentException e) {
      throw BadConfigurationException.of(key, value, "is not an IPv4 address");
    }
  }

  private static List<String> addresses(String key, String value) {
    List<String> out = new ArrayList<>();
    for (String s : value.split("[\\s,]+")) {
      if (!s.isEmpty()) {
        address(key, s);
        out.add(s);
      }
    }
    return out;
  }

  private static Ipv4Block subnet(VnetKeys keys, String neededFor) {
    String s = required(keys, "VNET_SUBNET", neededFor + " (the guests' addresses, e.g. 10.1.0.0)");
    String m = required(keys, "VNET_NETMASK", neededFor + " (e.g. 255.255.0.0)");
    int network = address("VNET_SUBNET", s);
    int mask = address("VNET_NETMASK", m);
    int prefix = Integer.bitCount(mask);
    if (mask != Ipv4Block.mask(prefix)) {
      throw BadConfigurationException.of("VNET_NETMASK", m, "is not a netmask (ones, then zeros: e.g. 255.255.255.0)");
    }
    if (prefix > 30) {
      throw BadConfigurationException.of("VNET_NETMASK", m, "leaves no room for guests (at most 255.255.255.252)");
    }
    if ((network & mask) != network) {
      throw BadConfigurationException.of("VNET_SUBNET", s, "is not the first address of its network with VNET_NETMASK=\""
          + m + "\" (did you mean " + Ipv4Block.format(network & mask) + "?)");
    }
    return new Ipv4Block(network, prefix);
  }

  private static String inSubnet(VnetKeys keys, String key, Ipv4Block subnet, String neededFor) {
    String v = required(keys, key, neededFor);
    if (!subnet.contains(address(key, v))) {
      throw BadConfigurationException.of(key, v, "is not in VNET_SUBNET/VNET_NETMASK " + subnet);
    }
    return v;
  }

  private static int addrsPerNet(VnetKeys keys, Ipv4Block subnet, String neededFor) {
    String v = required(keys, "VNET_ADDRSPERNET", neededFor + " (addresses per security group's network, a power "
        + "of two such as 32)");
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw BadConfigurationException.of("VNET_ADDRSPERNET", v, "is not a number");
    }
    if (n < MIN_ADDRS_PER_NET || Integer.bitCount(n) != 1) {
      throw BadConfigurationException.of("VNET_ADDRSPERNET", v, "is not a power of two of at least " + MIN_ADDRS_PER_NET
          + " (each network needs its own network, router and broadcast addresses)");
    }
    if (subnet.size() / n < 3) {
      throw BadConfigurationException.of("VNET_ADDRSPERNET", v, "leaves no network for guests in " + subnet
          + ": networks are numbered from 2, so the subnet must hold at least 3 blocks of " + n + " addresses");
    }
    return n;
  }

  static List<String> publicIps(String value, Ipv4Block subnet) {
    Set<Integer> seen = new LinkedHashSet<>();
    for (String token : value.split("[\\s,]+")) {
      if (token.isEmpty()) {
        continue;
      }
      int dash = token.indexOf('-');
      int from = address("VNET_PUBLICIPS", dash < 0 ? token : token.substring(0, dash));
      int to = dash < 0 ? from : address("VNET_PUBLICIPS", token.substring(dash + 1));
      if (Integer.compareUnsigned(from, to) > 0) {
        throw BadConfigurationException.of("VNET_PUBLICIPS", value, "has the range " + token + ", which ends before it starts");
      }
      for (long a = from & 0xffffffffL; a <= (to & 0xffffffffL); a++) {
        if (subnet.contains((int) a)) {
          throw BadConfigurationException.of("VNET_PUBLICIPS", value, "lists " + Ipv4Block.format((int) a)
              + ", which is in the guests' VNET_SUBNET " + subnet);
        }
        if (!seen.add((int) a)) {
          throw BadConfigurationException.of("VNET_PUBLICIPS", value, "lists " + Ipv4Block.format((int) a) + " twice");
        }
        if (seen.size() > MAX_PUBLIC_IPS) {
          throw BadConfigurationException.of("VNET_PUBLICIPS", value, "lists more than " + MAX_PUBLIC_IPS + " addresses");
        }
      }
    }
    if (seen.isEmpty()) {
      throw BadConfigurationException.of("VNET_PUBLICIPS", value, "lists no address");
    }
    return seen.stream().map(Ipv4Block::format).toList();
  }

  static Map<String, String> macMap(String value, Ipv4Block subnet) {
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> ips = new LinkedHashSet<>();
    for (String token : value.split("\\s+")) {
      if (token.isEmpty()) {
        continue;
      }
      int eq = token.indexOf('=');
      String mac = eq < 0 ? token : token.substring(0, eq);
      String ip = eq < 0 ? "" : token.substring(eq + 1);
      if (eq < 0 || !MAC.matcher(mac).matches()) {
        throw BadConfigurationException.of("VNET_MACMAP", value, "has the entry \"" + token
            + "\", which is not MAC=IP with a MAC of six hex pairs (e.g. AA:DD:11:CE:FF:ED=192.168.1.3)");
      }
      int a;
      try {
        a = Ipv4Block.parseAddress(ip);
      } catch (IllegalArgumentException e) {
        throw BadConfigurationException.of("VNET_MACMAP", value, "has the entry \"" + token + "\", whose IP is not an IPv4 address");
      }
      if (!subnet.contains(a) || a == subnet.network() || a == subnet.broadcast()) {
        throw BadConfigurationException.of("VNET_MACMAP", value, "has the entry \"" + token + "\", whose IP is not a host "
            + "address of VNET_SUBNET/VNET_NETMASK " + subnet);
      }
      String m = mac.toLowerCase(Locale.ROOT);
      if (out.containsKey(m) || !ips.add(ip)) {
        throw BadConfigurationException.of("VNET_MACMAP", value, "has the entry \"" + token + "\", whose MAC or IP is "
            + "already mapped");
      }
      out.put(m, ip);
    }
    if (out.isEmpty()) {
      throw BadConfigurationException.of("VNET_MACMAP", value, "has no MAC=IP pair");
    }
    return out;
  }
}
