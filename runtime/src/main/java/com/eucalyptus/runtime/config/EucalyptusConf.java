package com.eucalyptus.runtime.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of {@code eucalyptus.conf}: a shell file of {@code KEY="value"} lines, as in 1.5.2.
 * Only plain assignments are understood (no commands); {@code ${VAR}} and {@code $VAR} are
 * expanded from keys defined earlier in the file, because the shipped file writes paths that way.
 */
public final class EucalyptusConf {
  private static final Pattern ASSIGNMENT =
      Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$");
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  private final Map<String, String> values;

  private EucalyptusConf(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public static EucalyptusConf load(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** The file at {@code path} if it exists, otherwise an empty configuration (all defaults). */
  public static EucalyptusConf loadIfPresent(Path file) throws IOException {
    return Files.isRegularFile(file) ? load(file) : parse("");
  }

  public static EucalyptusConf parse(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      Matcher m = ASSIGNMENT.matcher(line);
      if (m.matches()) {
        values.put(m.group(1), expand(unquote(m.group(2).strip()), values));
      }
    }
    return new EucalyptusConf(values);
  }

  public static EucalyptusConf of(Map<String, String> values) {
    return new EucalyptusConf(new LinkedHashMap<>(values));
  }

  private static String unquote(String raw) {
    if (raw.length() >= 2 && (raw.startsWith("\"") && raw.endsWith("\"") || raw.startsWith("'") && raw.endsWith("'"))) {
      return raw.substring(1, raw.length() - 1);
    }
    int comment = raw.indexOf(" #");
    return comment >= 0 ? raw.substring(0, comment).strip() : raw;
  }

  private static String expand(String value, Map<String, String> earlier) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String replacement = earlier.getOrDefault(name, System.getenv().getOrDefault(name, ""));
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  public Optional<String> find(String key) {
    String v = values.get(key);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  public String get(String key, String defaultValue) {
    return find(key).orElse(defaultValue);
  }

  public int getInt(String key, int defaultValue) {
    Optional<String> v = find(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v.get().strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("eucalyptus.conf: " + key + "=\"" + v.get() + "\" is not a number");
    }
  }

  /** Y/yes/true/1 (any case) are true, as the 1.5.2 scripts read ENABLE_WS_SECURITY and friends. */
  public boolean getBoolean(String key, boolean defaultValue) {
    return find(key).map(v -> v.strip().toLowerCase()).map(v -> v.equals("y") || v.equals("yes") || v.equals("true") || v.equals("1"))
        .orElse(defaultValue);
  }

  public Map<String, String> asMap() {
    return values;
  }
}
