package com.eucalyptus.walrus.acl;

import com.eucalyptus.walrus.S3Exception;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The grants of a bucket or object, and the one place that decides whether a caller may do
 * something with it. The owner always keeps READ_ACP and WRITE_ACP (as in S3), whatever the grants
 * say; everything else comes from the grants.
 */
public record AccessControlList(List<Grant> grants) {
  public AccessControlList {
    grants = List.copyOf(grants);
  }

  /**
   * @param ownerId the resource owner's canonical id
   * @param callerId the caller's canonical id, or empty for an anonymous request
   */
  public boolean allows(String ownerId, Optional<String> callerId, Permission wanted) {
    if (callerId.isPresent() && callerId.get().equals(ownerId)
        && (wanted == Permission.READ_ACP || wanted == Permission.WRITE_ACP)) {
      return true;
    }
    for (Grant g : grants) {
      if (g.permission().implies(wanted) && matches(g.grantee(), callerId)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(Grant.Grantee grantee, Optional<String> callerId) {
    if (grantee.kind() == Grant.Kind.USER) {
      return callerId.isPresent() && callerId.get().equals(grantee.value());
    }
    return switch (grantee.value()) {
      case Grant.ALL_USERS -> true;
      case Grant.AUTHENTICATED_USERS -> callerId.isPresent();
      default -> false;
    };
  }

  /**
   * A canned ACL (x-amz-acl). {@code bucketOwnerId} is used by bucket-owner-read/-full-control.
   *
   * @throws S3Exception 400 InvalidArgument for an unknown name
   */
  public static AccessControlList canned(String name, String ownerId, String bucketOwnerId) throws S3Exception {
    List<Grant> g = new ArrayList<>();
    g.add(new Grant(Grant.Grantee.user(ownerId), Permission.FULL_CONTROL));
    switch (name == null ? "private" : name.trim()) {
      case "private" -> { }
      // euca-upload-bundle's default: on AWS, READ for the EC2 service; the cloud reads bundles in-process
      case "aws-exec-read" -> { }
      case "public-read" -> g.add(new Grant(Grant.Grantee.group(Grant.ALL_USERS), Permission.READ));
      case "public-read-write" -> {
        g.add(new Grant(Grant.Grantee.group(Grant.ALL_USERS), Permission.READ));
        g.add(new Grant(Grant.Grantee.group(Grant.ALL_USERS), Permission.WRITE));
      }
      case "authenticated-read" -> g.add(new Grant(Grant.Grantee.group(Grant.AUTHENTICATED_USERS), Permission.READ));
      case "bucket-owner-read" -> {
        if (bucketOwnerId != null && !bucketOwnerId.equals(ownerId)) {
          g.add(new Grant(Grant.Grantee.user(bucketOwnerId), Permission.READ));
        }
      }
      case "bucket-owner-full-control" -> {
        if (bucketOwnerId != null && !bucketOwnerId.equals(ownerId)) {
          g.add(new Grant(Grant.Grantee.user(bucketOwnerId), Permission.FULL_CONTROL));
        }
      }
      case "log-delivery-write" -> {
        g.add(new Grant(Grant.Grantee.group(Grant.LOG_DELIVERY), Permission.WRITE));
        g.add(new Grant(Grant.Grantee.group(Grant.LOG_DELIVERY), Permission.READ_ACP));
      }
      default -> throw new S3Exception(400, "InvalidArgument", "unknown canned ACL: " + name);
    }
    return new AccessControlList(g);
  }

  public static AccessControlList privateTo(String ownerId) {
    return new AccessControlList(List.of(new Grant(Grant.Grantee.user(ownerId), Permission.FULL_CONTROL)));
  }

  /** The form kept in the database: one grant per line, "U|G url-encoded-value PERMISSION". */
  public String encode() {
    StringBuilder sb = new StringBuilder();
    for (Grant g : grants) {
      sb.append(g.grantee().kind() == Grant.Kind.USER ? 'U' : 'G').append(' ')
          .append(URLEncoder.encode(g.grantee().value(), StandardCharsets.UTF_8)).append(' ')
          .append(g.permission().name()).append('\n');
    }
    return sb.toString();
  }

  public static AccessControlList decode(String text, String ownerIdIfEmpty) {
    if (text == null || text.isBlank()) {
      return privateTo(ownerIdIfEmpty);
    }
    List<Grant> g = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length != 3) {
        continue;
      }
      String value = URLDecoder.decode(f[1], StandardCharsets.UTF_8);
      g.add(new Grant(f[0].equals("U") ? Grant.Grantee.user(value) : Grant.Grantee.group(value), Permission.valueOf(f[2])));
    }
    return new AccessControlList(g);
  }
}
