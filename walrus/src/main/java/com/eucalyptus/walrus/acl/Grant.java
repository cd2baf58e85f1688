package com.eucalyptus.walrus.acl;

/**
 * One grant. The grantee is a user by canonical id, or a group by URI (e-mail grantees are
 * resolved to canonical ids when the ACL is set, as S3 does).
 */
public record Grant(Grantee grantee, Permission permission) {
  public record Grantee(Kind kind, String value) {
    public static Grantee user(String canonicalId) {
      return new Grantee(Kind.USER, canonicalId);
    }

    public static Grantee group(String uri) {
      return new Grantee(Kind.GROUP, uri);
    }
  }

  public enum Kind { USER, GROUP }

  public static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
  public static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
  public static final String LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";
}
