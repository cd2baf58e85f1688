package com.eucalyptus.runtime.soap;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rampart creates its Crypto objects by class name from properties, so it cannot be handed a
 * Java object; this registry maps the id written into the policy's crypto properties back to the
 * {@link KeySource} it stands for.
 */
final class KeySources {
  private static final Map<String, KeySource> BY_ID = new ConcurrentHashMap<>();
  private static final AtomicLong NEXT = new AtomicLong();

  private KeySources() {
  }

  static String register(KeySource source) {
    String id = "keys-" + NEXT.incrementAndGet();
    BY_ID.put(id, source);
    return id;
  }

  static KeySource get(String id) {
    KeySource s = BY_ID.get(id);
    if (s == null) {
      throw new IllegalStateException("no key source registered as " + id);
    }
    return s;
  }
}
