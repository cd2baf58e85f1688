package com.eucalyptus.runtime.network;

import com.eucalyptus.runtime.config.EucalyptusConf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The VNET_ keys of eucalyptus.conf as the CC and the NC read them. The 1.5.2 Administrator's
 * Guide itself misspells three of them, so administrators who copied its examples have those
 * spellings: they are read as aliases of the right key, with a warning that names the right one.
 * When both spellings are set, the right key wins (and the warning says the alias is ignored).
 */
public final class VnetKeys {
  private static final Logger LOG = LogManager.getLogger(VnetKeys.class);

  /** alias (the guide's misspelling) → the key it stands for */
  public static final Map<String, String> ALIASES = Map.of(
      "VNET_DHCPUSE", "VNET_DHCPUSER",
      "VNET_ADDRSPPERNET", "VNET_ADDRSPERNET",
      "VNET_DHCPSERVER", "VNET_DHCPDAEMON");

  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();

  private VnetKeys(EucalyptusConf conf) {
    conf.asMap().forEach((k, v) -> {
      if (k.startsWith("VNET_") && !ALIASES.containsKey(k) && v != null && !v.isBlank()) {
        values.put(k, v.strip());
      }
    });
    for (Map.Entry<String, String> a : ALIASES.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      Optional<String> v = conf.find(a.getKey()).map(String::strip).filter(s -> !s.isEmpty());
      if (v.isEmpty()) {
        continue;
      }
      if (values.containsKey(a.getValue())) {
        warnings.add("eucalyptus.conf: " + a.getKey() + " is a misspelling of " + a.getValue()
            + ", which is also set: " + a.getKey() + "=\"" + v.get() + "\" is ignored");
      } else {
        values.put(a.getValue(), v.get());
        warnings.add("eucalyptus.conf: " + a.getKey() + " is a misspelling of " + a.getValue() + " (as in the 1.5.2 guide): "
            + "read as " + a.getValue() + "=\"" + v.get() + "\"; please rename it");
      }
    }
  }

  /** Reads the VNET_ keys of {@code conf}, logging a WARN for every misspelt alias used. */
  public static VnetKeys of(EucalyptusConf conf) {
    VnetKeys k = new VnetKeys(conf);
    k.warnings.forEach(LOG::warn);
    return k;
  }

  /** The key's value, stripped; empty when unset or blank (under its own name or its alias). */
  public Optional<String> find(String key) {
    return Optional.ofNullable(values.get(key));
  }

  public String get(String key, String defaultValue) {
    return find(key).orElse(defaultValue);
  }

  /** The warnings logged for aliases (for tests and for a daemon that wants to repeat them). */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** VNET_MODE, validated (SYSTEM when unset, as 1.5.2's default). */
  public VnetMode mode() {
    return VnetMode.parse(find("VNET_MODE").orElse(null));
  }
}
