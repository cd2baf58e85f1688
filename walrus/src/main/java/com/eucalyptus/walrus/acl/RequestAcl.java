package com.eucalyptus.walrus.acl;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.WalrusUser;
import com.eucalyptus.walrus.auth.WalrusUsers;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ACL a request asks for in its headers: a canned {@code x-amz-acl}, or explicit
 * {@code x-amz-grant-read/-write/-read-acp/-write-acp/-full-control} grants
 * ({@code id="…"}, {@code emailAddress="…"}, {@code uri="…"}, comma-separated), not both.
 */
public final class RequestAcl {
  private static final Pattern GRANTEE = Pattern.compile("\\s*(id|emailAddress|uri)\\s*=\\s*\"?([^\",]*)\"?\\s*",
      Pattern.CASE_INSENSITIVE);
  private static final String[][] HEADERS = {{"x-amz-grant-read", "READ"}, {"x-amz-grant-write", "WRITE"},
      {"x-amz-grant-read-acp", "READ_ACP"}, {"x-amz-grant-write-acp", "WRITE_ACP"},
      {"x-amz-grant-full-control", "FULL_CONTROL"}};

  private RequestAcl() {}

  /** Whether the request carries any ACL header. */
  public static boolean present(HttpServletRequest req) {
    if (req.getHeader("x-amz-acl") != null) {
      return true;
    }
    for (String[] h : HEADERS) {
      if (req.getHeader(h[0]) != null) {
        return true;
      }
    }
    return false;
  }

  /** The requested ACL; private to {@code ownerId} when the request names none. */
  public static AccessControlList of(HttpServletRequest req, String ownerId, String bucketOwnerId, WalrusUsers users)
      throws S3Exception {
    String canned = req.getHeader("x-amz-acl");
    List<Grant> grants = new ArrayList<>();
    for (String[] h : HEADERS) {
      String value = req.getHeader(h[0]);
      if (value == null) {
        continue;
      }
      for (String part : value.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        Matcher m = GRANTEE.matcher(part);
        if (!m.matches()) {
          throw new S3Exception(400, "InvalidArgument", "Invalid grant in " + h[0]);
        }
        grants.add(new Grant(grantee(m.group(1), m.group(2).trim(), users), Permission.valueOf(h[1])));
      }
    }
    if (grants.isEmpty()) {
      return AccessControlList.canned(canned, ownerId, bucketOwnerId);
    }
    if (canned != null) {
      throw new S3Exception(400, "InvalidRequest", "Specifying both Canned ACLs and Header Grants is not allowed");
    }
    return new AccessControlList(grants);
  }

  private static Grant.Grantee grantee(String type, String value, WalrusUsers users) throws S3Exception {
    switch (type.toLowerCase()) {
      case "id" -> {
        if (users.byCanonicalId(value).isEmpty()) {
          throw new S3Exception(400, "InvalidArgument", "Invalid id");
        }
        return Grant.Grantee.user(value);
      }
      case "emailaddress" -> {
        Optional<WalrusUser> u = users.byEmail(value);
        if (u.isEmpty()) {
          throw new S3Exception(400, "UnresolvableGrantByEmailAddress",
              "The e-mail address you provided does not match any account on record.");
        }
        return Grant.Grantee.user(u.get().canonicalId());
      }
      default -> {
        if (!Grant.ALL_USERS.equals(value) && !Grant.AUTHENTICATED_USERS.equals(value) && !Grant.LOG_DELIVERY.equals(value)) {
          throw new S3Exception(400, "InvalidArgument", "Invalid group uri");
        }
        return Grant.Grantee.group(value);
      }
    }
  }
}
