package com.eucalyptus.walrus.auth;

import com.eucalyptus.walrus.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.util.ajax.JSON;

/**
 * The policy document of a browser POST upload (S3's "Creating a POST policy"): an expiration
 * and conditions on the form fields. Conditions: {@code {"field": "value"}} and
 * {@code ["eq", "$field", "value"]} (exact match), {@code ["starts-with", "$field", "prefix"]}, and
 * {@code ["content-length-range", min, max]} on the file's size. Field names are matched without
 * regard to case; {@code bucket} is the bucket the form is posted to.
 */
public final class PostPolicy {
  /** Form fields that no condition needs to name (S3's list). */
  private static final Set<String> EXEMPT = Set.of("policy", "signature", "awsaccesskeyid", "x-amz-signature", "file",
      "bucket");

  /** One condition: {@code op} is "eq", "starts-with" or "content-length-range". */
  public record Condition(String op, String field, String value, long min, long max, String text) {}

  private final Instant expiration;
  private final List<Condition> conditions;

  private PostPolicy(Instant expiration, List<Condition> conditions) {
    this.expiration = expiration;
    this.conditions = List.copyOf(conditions);
  }

  /** Decodes and parses the base64 {@code policy} form field. */
  public static PostPolicy parse(String base64Policy) throws S3Exception {
    Object doc;
    try {
      String json = new String(Base64.getMimeDecoder().decode(base64Policy.trim()), StandardCharsets.UTF_8);
      doc = new JSON().fromJSON(json);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw invalid("Invalid Policy: Invalid JSON.");
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw invalid("Invalid Policy: Invalid JSON.");
    }
    if (!(map.get("expiration") instanceof String exp)) {
      throw invalid("Invalid Policy: Policy missing expiration.");
    }
    Instant expiration;
    try {
      expiration = OffsetDateTime.parse(exp).toInstant();
    } catch (DateTimeParseException e) {
      throw invalid("Invalid Policy: Invalid 'expiration' value: '" + exp + "'");
    }
    if (!(map.get("conditions") instanceof Object[] list)) {
      throw invalid("Invalid Policy: Policy missing conditions.");
    }
    List<Condition> conditions = new ArrayList<>();
    for (Object c : list) {
      conditions.addAll(condition(c));
    }
    return new PostPolicy(expiration, conditions);
  }

  private static List<Condition> condition(Object c) throws S3Exception {
    List<Condition> out = new ArrayList<>();
    if (c instanceof Map<?, ?> exact) {
      for (Map.Entry<?, ?> e : exact.entrySet()) {
        if (!(e.getValue() instanceof String v)) {
          throw invalid("Invalid Policy: Invalid Simple-Condition: value must be a string.");
        }
        String field = String.valueOf(e.getKey()).toLowerCase(Locale.ROOT);
        out.add(new Condition("eq", field, v, 0, 0, new JSON().toJSON(Map.of(String.valueOf(e.getKey()), v))));
      }
      return out;
    }
    if (!(c instanceof Object[] a) || a.length != 3 || !(a[0] instanceof String op)) {
      throw invalid("Invalid Policy: Invalid Condition: " + new JSON().toJSON(c));
    }
    String text = new JSON().toJSON(c);
    switch (op.toLowerCase(Locale.ROOT)) {
      case "eq", "starts-with" -> {
        if (!(a[1] instanceof String f) || !f.startsWith("$") || !(a[2] instanceof String v)) {
          throw invalid("Invalid Policy: Invalid Condition: " + text);
        }
        out.add(new Condition(op.toLowerCase(Locale.ROOT), f.substring(1).toLowerCase(Locale.ROOT), v, 0, 0, text));
      }
      case "content-length-range" -> {
        long min = number(a[1], text);
        long max = number(a[2], text);
        out.add(new Condition("content-length-range", null, null, min, max, text));
      }
      default -> throw invalid("Invalid Policy: Invalid Condition: " + text);
    }
    return out;
  }

  private static long number(Object o, String text) throws S3Exception {
    try {
      return o instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(o).trim());
    } catch (NumberFormatException e) {
      throw invalid("Invalid Policy: Invalid content-length-range: " + text);
    }
  }

  public Instant expiration() {
    return expiration;
  }

  public List<Condition> conditions() {
    return conditions;
  }

  /** 403 AccessDenied "Invalid according to Policy: Policy expired." once {@code now} is past the expiration. */
  public void checkNotExpired(Instant now) throws S3Exception {
    if (!now.isBefore(expiration)) {
      throw new S3Exception(403, "AccessDenied", "Invalid according to Policy: Policy expired.");
    }
  }

  /**
   * Checks the form against the conditions, as S3 does: each condition holds, and each form field
   * is named by some condition (except the signature fields, {@code file} and {@code x-ignore-*}).
   *
   * @param fields the form fields, names lower-cased, including {@code bucket} (the bucket posted to)
   * @param fileSize the size of the uploaded file in bytes, or -1 when it is not known yet (the
   *     content-length-range condition is then left to {@link #checkFileSize})
   */
  public void check(Map<String, String> fields, long fileSize) throws S3Exception {
    Set<String> named = new HashSet<>();
    for (Condition c : conditions) {
      if (c.op().equals("content-length-range")) {
        if (fileSize >= 0) {
          checkFileSize(fileSize);
        }
        continue;
      }
      named.add(c.field());
      String value = fields.get(c.field());
      boolean ok = c.op().equals("eq") ? c.value().equals(value == null ? "" : value)
          : (value == null ? "" : value).startsWith(c.value());
      if (!ok) {
        throw new S3Exception(403, "AccessDenied", "Invalid according to Policy: Policy Condition failed: " + c.text());
      }
    }
    List<String> extra = new ArrayList<>();
    for (String field : fields.keySet()) {
      String f = field.toLowerCase(Locale.ROOT);
      if (!EXEMPT.contains(f) && !f.startsWith("x-ignore-") && !named.contains(f)) {
        extra.add(f);
      }
    }
    if (!extra.isEmpty()) {
      throw new S3Exception(403, "AccessDenied", "Invalid according to Policy: Extra input fields: " + String.join(", ", extra));
    }
  }

  /** The content-length-range conditions against the file's size: 400 EntityTooSmall / EntityTooLarge. */
  public void checkFileSize(long size) throws S3Exception {
    for (Condition c : conditions) {
      if (c.op().equals("content-length-range")) {
        if (size < c.min()) {
          throw new S3Exception(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size");
        }
        if (size > c.max()) {
          throw new S3Exception(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
        }
      }
    }
  }

  /** The largest file size the policy allows, or {@code Long.MAX_VALUE}: a writer can stop reading there. */
  public long maxFileSize() {
    return conditions.stream().filter(c -> c.op().equals("content-length-range")).mapToLong(Condition::max).min()
        .orElse(Long.MAX_VALUE);
  }

  private static S3Exception invalid(String message) {
    return new S3Exception(400, "InvalidPolicyDocument", message);
  }
}
