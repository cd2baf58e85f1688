package com.eucalyptus.walrus.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The simplest real {@link WalrusUsers}: enabled users held in a map (the CLC's is over its database). */
final class TestUsers implements WalrusUsers {
  static final WalrusUser AWS_EXAMPLE = new WalrusUser("example", "a".repeat(64), "example@example.com", false,
      "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  static final WalrusUser ALICE = new WalrusUser("alice", "b".repeat(64), "alice@example.com", false,
      "WKYALICEACCESSKEY123", "aliceSecretKey/0123456789abcdefghijklmnop");

  private final Map<String, WalrusUser> byKey = new LinkedHashMap<>();
  private final Map<String, KeyHolder> refused = new LinkedHashMap<>();

  TestUsers(WalrusUser... users) {
    for (WalrusUser u : users) {
      byKey.put(u.accessKey(), u);
    }
  }

  /** Disabling a user: the CLC's implementation stops returning them and says why their key is refused. */
  void disable(String accessKey) {
    refused.put(accessKey, new KeyHolder(byKey.remove(accessKey), "is disabled"));
  }

  /** Deleting a user: nobody holds the key any more. */
  void delete(String accessKey) {
    byKey.remove(accessKey);
    refused.remove(accessKey);
  }

  @Override
  public Optional<KeyHolder> holderOf(String accessKey) {
    return byAccessKey(accessKey).map(u -> new KeyHolder(u, null)).or(() -> Optional.ofNullable(refused.get(accessKey)));
  }

  private Optional<WalrusUser> find(Function<WalrusUser, String> field, String value) {
    return byKey.values().stream().filter(u -> field.apply(u).equals(value)).findFirst();
  }

  @Override
  public Optional<WalrusUser> byAccessKey(String accessKey) {
    return Optional.ofNullable(byKey.get(accessKey));
  }

  @Override
  public Optional<WalrusUser> byName(String name) {
    return find(WalrusUser::name, name);
  }

  @Override
  public Optional<WalrusUser> byCanonicalId(String canonicalId) {
    return find(WalrusUser::canonicalId, canonicalId);
  }

  @Override
  public Optional<WalrusUser> byEmail(String email) {
    return find(WalrusUser::email, email);
  }
}
