package com.eucalyptus.walrus.acl;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.WalrusUser;
import com.eucalyptus.walrus.auth.WalrusUsers;
import com.eucalyptus.walrus.http.XmlIn;
import com.eucalyptus.walrus.http.XmlOut;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;

/** AccessControlPolicy documents: written for GET ?acl, read for PUT ?acl. */
public final class AclXml {
  private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
  private final WalrusUsers users;

  public AclXml(WalrusUsers users) {
    this.users = users;
  }

  public String displayName(String canonicalId) {
    return users.byCanonicalId(canonicalId).map(WalrusUser::name).orElse(canonicalId);
  }

  public String write(String ownerId, AccessControlList acl) {
    XmlOut x = XmlOut.document("AccessControlPolicy");
    x.open("Owner").leaf("ID", ownerId).leaf("DisplayName", displayName(ownerId)).close("Owner");
    x.open("AccessControlList");
    for (Grant g : acl.grants()) {
      x.open("Grant");
      if (g.grantee().kind() == Grant.Kind.USER) {
        x.openWith("Grantee", "xmlns:xsi=\"" + XSI + "\" xsi:type=\"CanonicalUser\"")
            .leaf("ID", g.grantee().value()).leaf("DisplayName", displayName(g.grantee().value()));
      } else {
        x.openWith("Grantee", "xmlns:xsi=\"" + XSI + "\" xsi:type=\"Group\"").leaf("URI", g.grantee().value());
      }
      x.close("Grantee").leaf("Permission", g.permission().name()).close("Grant");
    }
    x.close("AccessControlList");
    return x.end("AccessControlPolicy");
  }

  /**
   * Reads a PUT ?acl body. E-mail grantees become canonical ids; unknown users and groups, and
   * unknown permissions, are refused as S3 does.
   */
  public AccessControlList read(byte[] body) throws S3Exception {
    Element root = XmlIn.parse(body, "MalformedACLError");
    if (!XmlIn.name(root).equals("AccessControlPolicy")) {
      throw malformed();
    }
    Element list = XmlIn.child(root, "AccessControlList");
    if (list == null) {
      throw malformed();
    }
    List<Grant> grants = new ArrayList<>();
    for (Element g : XmlIn.children(list, "Grant")) {
      Element grantee = XmlIn.child(g, "Grantee");
      String perm = XmlIn.text(g, "Permission");
      if (grantee == null || perm == null) {
        throw malformed();
      }
      Permission p;
      try {
        p = Permission.valueOf(perm);
      } catch (IllegalArgumentException e) {
        throw malformed();
      }
      grants.add(new Grant(grantee(grantee), p));
    }
    return new AccessControlList(grants);
  }

  private Grant.Grantee grantee(Element e) throws S3Exception {
    String type = e.getAttributeNS(XSI, "type");
    String id = XmlIn.text(e, "ID");
    String email = XmlIn.text(e, "EmailAddress");
    String uri = XmlIn.text(e, "URI");
    if (type.isEmpty()) {
      type = id != null ? "CanonicalUser" : email != null ? "AmazonCustomerByEmail" : uri != null ? "Group" : "";
    }
    switch (type) {
      case "CanonicalUser" -> {
        if (id == null || users.byCanonicalId(id).isEmpty()) {
          throw new S3Exception(400, "InvalidArgument", "Invalid id");
        }
        return Grant.Grantee.user(id);
      }
      case "AmazonCustomerByEmail" -> {
        Optional<WalrusUser> u = email == null ? Optional.empty() : users.byEmail(email);
        if (u.isEmpty()) {
          throw new S3Exception(400, "UnresolvableGrantByEmailAddress",
              "The e-mail address you provided does not match any account on record.");
        }
        return Grant.Grantee.user(u.get().canonicalId());
      }
      case "Group" -> {
        if (!Grant.ALL_USERS.equals(uri) && !Grant.AUTHENTICATED_USERS.equals(uri) && !Grant.LOG_DELIVERY.equals(uri)) {
          throw new S3Exception(400, "InvalidArgument", "Invalid group uri");
        }
        return Grant.Grantee.group(uri);
      }
      default -> throw malformed();
    }
  }

  private static S3Exception malformed() {
    return new S3Exception(400, "MalformedACLError",
        "The XML you provided was not well-formed or did not validate against our published schema");
  }
}
