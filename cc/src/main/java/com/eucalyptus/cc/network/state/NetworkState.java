package com.eucalyptus.cc.network.state;

import com.eucalyptus.cc.network.model.GroupRef;
import com.eucalyptus.cc.network.model.IngressRule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a mode needs to rebuild the guests' network after a CC restart (kill -9 included):
 * the CLC's address for the metadata redirect, the active networks (group → network index), each
 * group's rules, which instance has which MAC and address, and which public address leads to which
 * private one. The CC's instance table is rebuilt from the nodes, but the nodes do not know the
 * addresses: these do.
 *
 * @param cloudIp null until known
 * @param networks group → network index (MANAGED-NOVLAN)
 * @param assignments instance id → its MAC and address
 * @param publicIps public address → private address, assigned ones only
 */
public record NetworkState(String cloudIp, Map<GroupRef, Integer> networks, Map<GroupRef, List<IngressRule>> rules,
    Map<String, Assignment> assignments, Map<String, String> publicIps) {
  public static final NetworkState EMPTY = new NetworkState(null, Map.of(), Map.of(), Map.of(), Map.of());

  public NetworkState {
    networks = frozen(networks);
    rules = frozen(rules);
    assignments = frozen(assignments);
    publicIps = frozen(publicIps);
  }

  private static <K, V> Map<K, V> frozen(Map<K, V> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m == null ? Map.of() : m));
  }

  /**
   * One instance's network identity.
   *
   * @param vlan the network index (0 in STATIC)
   * @param group the security group whose network the address is from (null in STATIC)
   */
  public record Assignment(String instanceId, String mac, String ip, int vlan, GroupRef group) {
  }
}
