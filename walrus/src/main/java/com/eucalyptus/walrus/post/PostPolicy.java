package com.eucalyptus.walrus.post;

import com.eucalyptus.walrus.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The conditions of a browser POST policy (its signature and expiration are the
 * authenticator's): {"field": "value"} and ["eq", "$field", "value"] for exact matches,
 * ["starts-with", "$field", "prefix"], ["content-length-range", min, max]. Every form field must be
 * covered by a condition, except the ones S3 exempts.
 */
public final class PostPolicy {
  private static final Set<String> EXEMPT = Set.of("policy", "signature", "awsaccesskeyid", "file", "x-amz-signature");

  private record Condition(String op, String field, String value) {}

  private final List<Condition> conditions = new ArrayList<>();
  private long minLength = 0;
  private long maxLength = Long.MAX_VALUE;

  private PostPolicy() {}

  public static PostPolicy parse(String base64) throws S3Exception {
    PostPolicy p = new PostPolicy();
    Object doc;
    try {
      doc = Json.parse(new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw invalidPolicy("Invalid Policy: Invalid JSON.");
    }
    if (!(doc instanceof Map<?, ?> m) || !(m.get("conditions") instanceof List<?> list)) {
      throw invalidPolicy("Invalid Policy: Policy missing conditions.");
    }
    for (Object c : list) {
      if (c instanceof Map<?, ?> eq) {
        for (Map.Entry<?, ?> e : eq.entrySet()) {
          p.conditions.add(new Condition("eq", String.valueOf(e.getKey()).toLowerCase(Locale.ROOT), String.valueOf(e.getValue())));
        }
      } else if (c instanceof List<?> l && l.size() == 3) {
        String op = String.valueOf(l.get(0)).toLowerCase(Locale.ROOT);
        if (op.equals("content-length-range")) {
          try {
            p.minLength = Long.parseLong(String.valueOf(l.get(1)));
            p.maxLength = Long.parseLong(String.valueOf(l.get(2)));
          } catch (NumberFormatException e) {
            throw invalidPolicy("Invalid Policy: Invalid content-length-range.");
          }
        } else if (op.equals("eq") || op.equals("starts-with")) {
          String field = String.valueOf(l.get(1));
          if (!field.startsWith("$")) {
            throw invalidPolicy("Invalid Policy: Invalid Condition.");
          }
          p.conditions.add(new Condition(op, field.substring(1).toLowerCase(Locale.ROOT), String.valueOf(l.get(2))));
        } else {
          throw invalidPolicy("Invalid Policy: Invalid Condition: " + op);
        }
      } else {
        throw invalidPolicy("Invalid Policy: Invalid Condition.");
      }
    }
    return p;
  }

  /** Checks the form fields (names lower-cased; "bucket" and "key" as they will be used). */
  public void check(Map<String, String> fields) throws S3Exception {
    Set<String> covered = new HashSet<>();
    for (Condition c : conditions) {
      String v = fields.get(c.field());
      covered.add(c.field());
      boolean ok = switch (c.op()) {
        case "eq" -> c.value().equals(v == null ? "" : v);
        default -> (v == null ? "" : v).startsWith(c.value());
      };
      if (!ok) {
        throw accessDenied("Invalid according to Policy: Policy Condition failed: [\"" + c.op() + "\", \"$" + c.field()
            + "\", \"" + c.value() + "\"]");
      }
    }
    for (String f : fields.keySet()) {
      if (!covered.contains(f) && !EXEMPT.contains(f) && !f.startsWith("x-ignore-") && !f.equals("bucket")
          && !f.startsWith("x-amz-credential") && !f.equals("x-amz-algorithm") && !f.equals("x-amz-date")
          && !f.equals("x-amz-security-token")) {
        throw accessDenied("Invalid according to Policy: Extra input fields: " + f);
      }
    }
  }

  /** Checks the file's size against content-length-range. */
  public void checkLength(long size) throws S3Exception {
    if (size < minLength) {
      throw new S3Exception(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size");
    }
    if (size > maxLength) {
      throw new S3Exception(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
    }
  }

  public long maxLength() {
    return maxLength;
  }

  private static S3Exception invalidPolicy(String message) {
    return new S3Exception(400, "InvalidPolicyDocument", message);
  }

  private static S3Exception accessDenied(String message) {
    return new S3Exception(403, "AccessDenied", message);
  }
}
