package com.eucalyptus.clc.api.actions;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.accounts.CredentialsZip;
import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.api.Xml;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.persistence.ClusterEntity;
import com.eucalyptus.clc.persistence.VmTypeEntity;
import com.eucalyptus.clc.properties.SystemProperties;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The actions of the Foundation: zones, regions and account attributes for everyone; clusters,
 * users, properties and credentials for the admin (docs/architecture.md lists them).
 */
public final class CloudActions {
  private final Accounts accounts;
  private final Clusters clusters;
  private final SystemProperties properties;
  private final CredentialsZip credentials;

  public CloudActions(Accounts accounts, Clusters clusters, SystemProperties properties, CredentialsZip credentials) {
    this.accounts = accounts;
    this.clusters = clusters;
    this.properties = properties;
    this.credentials = credentials;
  }

  public List<Ec2Action> all() {
    return List.of(
        new SimpleAction("DescribeAccountAttributes", false, this::describeAccountAttributes),
        new SimpleAction("DescribeRegions", false, this::describeRegions),
        new SimpleAction("DescribeAvailabilityZones", false, this::describeAvailabilityZones),
        new SimpleAction("AddCluster", true, this::addCluster),
        new SimpleAction("AddUser", true, this::addUser),
        new SimpleAction("DeleteUser", true, (r, c, out) -> userFlag(r, out, "delete")),
        new SimpleAction("DisableUser", true, (r, c, out) -> userFlag(r, out, "disable")),
        new SimpleAction("EnableUser", true, (r, c, out) -> userFlag(r, out, "enable")),
        new SimpleAction("DescribeUsers", true, this::describeUsers),
        new SimpleAction("DescribeProperties", true, this::describeProperties),
        new SimpleAction("ModifyPropertyValue", true, this::modifyPropertyValue),
        new SimpleAction("GetCredentials", true, this::getCredentials));
  }

  /** http://host:port of this cloud: the cloud.url property, else what the client used. */
  private String baseUrl(QueryRequest r) {
    String url = properties.get(SystemProperties.CLOUD_URL);
    if (!url.isBlank()) {
      return url.replaceAll("/+$", "");
    }
    return "http://" + (r.host() == null ? "127.0.0.1:8773" : r.host());
  }

  private void describeAccountAttributes(QueryRequest r, Accounts.User caller, Xml out) {
    out.open("accountAttributeSet");
    for (String[] a : new String[][] {{"supported-platforms", "EC2"}, {"default-vpc", "none"}}) {
      out.open("item").leaf("attributeName", a[0]).open("attributeValueSet").open("item").leaf("attributeValue", a[1])
          .close("item").close("attributeValueSet").close("item");
    }
    out.close("accountAttributeSet");
  }

  private void describeRegions(QueryRequest r, Accounts.User caller, Xml out) {
    String base = baseUrl(r);
    out.open("regionInfo");
    out.open("item").leaf("regionName", "Eucalyptus").leaf("regionEndpoint", base + "/services/Eucalyptus").close("item");
    out.open("item").leaf("regionName", "Walrus").leaf("regionEndpoint", base + "/services/Walrus").close("item");
    out.close("regionInfo");
  }

  private void describeAvailabilityZones(QueryRequest r, Accounts.User caller, Xml out) {
    List<String> names = indexed(r.params(), "ZoneName");
    boolean verbose = caller.admin() && names.contains("verbose");
    String region = properties.get(SystemProperties.REGION);
    List<VmTypeEntity> types = verbose ? clusters.vmTypes() : List.of();
    out.open("availabilityZoneInfo");
    for (ClusterEntity c : clusters.registered()) {
      var status = clusters.status(c);
      if (!verbose && !names.isEmpty() && !names.contains("verbose") && !names.contains(c.name)) {
        continue;
      }
      List<ZoneView.Row> rows = verbose ? ZoneView.verbose(status, types) : List.of(ZoneView.plain(status));
      for (ZoneView.Row row : rows) {
        out.open("item").leaf("zoneName", row.name()).leaf("zoneState", row.state()).leaf("regionName", region)
            .open("messageSet").close("messageSet").close("item");
      }
    }
    out.close("availabilityZoneInfo");
  }

  private void addCluster(QueryRequest r, Accounts.User caller, Xml out) {
    String name = r.required("Name");
    String host = r.required("Host");
    int port = intParam(r, "Port", 8774);
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw Ec2Exception.invalidParameter("cluster name '" + name + "' must be letters, digits, '.', '_' or '-'");
    }
    if (!host.matches("[A-Za-z0-9.:-]{1,255}")) {
      throw Ec2Exception.invalidParameter("'" + host + "' is not a host name or address");
    }
    clusters.register(name, host, port);
    out.leaf("return", true);
  }

  private void addUser(QueryRequest r, Accounts.User caller, Xml out) {
    String name = r.required("UserName");
    if (!Accounts.validName(name)) {
      throw Ec2Exception.invalidParameter("user name must be 1-30 letters, digits, '.', '_' or '-'");
    }
    if (Accounts.reservedName(name)) {
      throw Ec2Exception.invalidParameter("user name " + name + " is reserved for the system");
    }
    boolean admin = Boolean.parseBoolean(r.params().getOrDefault("Admin", "false"));
    Accounts.User u = accounts.add(name, r.params().getOrDefault("Email", ""), admin, null)
        .orElseThrow(() -> new Ec2Exception(400, "UserAlreadyExists", "user " + name + " already exists"));
    out.open("user");
    userFields(out, u);
    out.leaf("secretKey", u.secretKey()).close("user");
  }

  private void userFlag(QueryRequest r, Xml out, String what) {
    String name = r.required("UserName");
    if (name.equals("admin") && !what.equals("enable")) {
      throw Ec2Exception.invalidParameter("the admin account cannot be " + what + "d");
    }
    if (what.equals("delete") && accounts.find(name).isPresent()) {
      List<String> blockers = accounts.whatBlocksDeletion(name);
      if (!blockers.isEmpty()) {
        throw new Ec2Exception(400, "DependencyViolation", "user " + name + " cannot be deleted: " + String.join(", ", blockers));
      }
    }
    boolean found = switch (what) {
      case "delete" -> accounts.delete(name);
      case "disable" -> accounts.setEnabled(name, false);
      default -> accounts.setEnabled(name, true);
    };
    if (!found) {
      throw new Ec2Exception(400, "InvalidUser.NotFound", "no user " + name);
    }
    out.leaf("return", true);
  }

  private void describeUsers(QueryRequest r, Accounts.User caller, Xml out) {
    List<String> names = indexed(r.params(), "UserName");
    out.open("userSet");
    for (Accounts.User u : accounts.list()) {
      if (names.isEmpty() || names.contains(u.name())) {
        out.open("item");
        userFields(out, u);
        out.close("item");
      }
    }
    out.close("userSet");
  }

  private static void userFields(Xml out, Accounts.User u) {
    out.leaf("userName", u.name()).leaf("email", u.email()).leaf("admin", u.admin()).leaf("enabled", u.enabled())
        .leaf("accessKey", u.accessKey());
  }

  private void describeProperties(QueryRequest r, Accounts.User caller, Xml out) {
    List<String> names = indexed(r.params(), "Name");
    out.open("propertySet");
    properties.all().forEach((k, v) -> {
      if (names.isEmpty() || names.contains(k)) {
        out.open("item").leaf("name", k).leaf("value", v).close("item");
      }
    });
    out.close("propertySet");
  }

  private void modifyPropertyValue(QueryRequest r, Accounts.User caller, Xml out) {
    String name = r.required("Name");
    String value = r.params().get("Value");
    if (value == null) {
      throw Ec2Exception.missingParameter("Value");
    }
    if (!properties.all().containsKey(name)) {
      throw Ec2Exception.invalidParameter("no property named " + name);
    }
    // the same rules as the console's Configuration tab; nothing is stored for a bad value
    SystemProperties.problem(name, value).ifPresent(p -> {
      throw Ec2Exception.invalidParameter("the value '" + abbreviate(value) + "' of property " + name + " " + p);
    });
    String old = properties.set(name, value);
    if (old == null) {
      throw Ec2Exception.invalidParameter("no property named " + name);
    }
    out.leaf("name", name).leaf("value", value).leaf("oldValue", old);
  }

  private void getCredentials(QueryRequest r, Accounts.User caller, Xml out) throws Exception {
    String name = r.required("UserName");
    Accounts.User u = accounts.find(name).orElseThrow(() -> new Ec2Exception(400, "InvalidUser.NotFound", "no user " + name));
    byte[] zip = credentials.make(u, baseUrl(r));
    out.leaf("userName", name).leaf("fileName", CredentialsZip.fileName(name))
        .leaf("data", Base64.getEncoder().encodeToString(zip));
  }

  private static String abbreviate(String v) {
    return v.length() > 64 ? v.substring(0, 64) + "..." : v;
  }

  private static int intParam(QueryRequest r, String name, int dflt) {
    String v = r.param(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1 || n > 65535) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw Ec2Exception.invalidParameter(name + " '" + v + "' is not a port number");
    }
  }

  /** Values of Name.1, Name.2, ... in order. */
  static List<String> indexed(Map<String, String> params, String prefix) {
    List<String> out = new ArrayList<>();
    for (int i = 1; params.containsKey(prefix + "." + i); i++) {
      out.add(params.get(prefix + "." + i));
    }
    return out;
  }
}
