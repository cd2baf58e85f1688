package com.eucalyptus.clc.console.pages;

import com.eucalyptus.clc.accounts.AccountRefused;
import com.eucalyptus.clc.console.ConsoleServices;
import com.eucalyptus.clc.console.web.Exchange;
import com.eucalyptus.clc.console.web.Html;
import com.eucalyptus.clc.console.web.Message;
import com.eucalyptus.clc.console.web.Routes;
import com.eucalyptus.clc.console.web.Routes.Access;
import com.eucalyptus.clc.persistence.ClusterEntity;
import com.eucalyptus.clc.persistence.VmTypeEntity;
import com.eucalyptus.clc.properties.SystemProperties;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The administrator's Configuration tab: the system properties (Walrus path and limits, volume
 * limits, default kernel and ramdisk, system URLs, mail server), the clusters and the VM types — the same rows
 * euca_conf and the EC2 admin actions change.
 */
public final class ConfigurationPages {
  private static final Logger LOG = LogManager.getLogger(ConfigurationPages.class);
  private static final Map<String, String> LABELS = new LinkedHashMap<>();

  static {
    LABELS.put(SystemProperties.CLOUD_URL, "Cloud URL (eucarc's EC2_URL and S3_URL are made from it)");
    LABELS.put(SystemProperties.WALRUS_PATH, "Walrus path (buckets and images; read when the CLC starts)");
    LABELS.put(SystemProperties.WALRUS_MAX_BUCKETS, "Maximum buckets per user");
    LABELS.put(SystemProperties.WALRUS_MAX_BUCKET_SIZE, "Maximum bucket size (MB)");
    LABELS.put(SystemProperties.IMAGE_CACHE_SIZE, "Space reserved for unbundling images (MB)");
    LABELS.put(SystemProperties.DEFAULT_KERNEL, "Default kernel (eki-…)");
    LABELS.put(SystemProperties.DEFAULT_RAMDISK, "Default ramdisk (eri-…)");
    LABELS.put(SystemProperties.DNS_DOMAIN, "DNS domain");
    LABELS.put(SystemProperties.REGION, "Region name");
    LABELS.put(SystemProperties.MAIL_HOST, "Mail server (SMTP host)");
    LABELS.put(SystemProperties.MAIL_PORT, "Mail server port");
    LABELS.put(SystemProperties.ADMIN_EMAIL, "Administrator's e-mail address");
    LABELS.put(SystemProperties.CLUSTER_POLL_SECONDS, "Cluster polling interval (s)");
    LABELS.put(SystemProperties.INSTANCE_LOST_GRACE_SECONDS, "Grace for instances of a silent node (s)");
    LABELS.put(SystemProperties.INSTANCE_TERMINATED_VISIBLE_SECONDS, "Terminated instances stay listed for (s)");
    LABELS.put(SystemProperties.INSTANCE_POLL_FAST_MILLIS, "Instance polling while pending/shutting-down (ms)");
    LABELS.put(SystemProperties.INSTANCE_POLL_SECONDS, "Instance polling otherwise (s)");
    LABELS.put(SystemProperties.ADDRESSES_MAX_PER_USER, "Maximum public addresses per user");
    LABELS.put(SystemProperties.ADDRESSES_RESERVED, "Public addresses reserved for launches (dynamic addressing off)");
    LABELS.put(SystemProperties.ADDRESSES_DYNAMIC, "Dynamic public addressing (true/false)");
    LABELS.put(SystemProperties.STORAGE_BACKEND, "Volume backend (nbd; read when the CLC starts)");
    LABELS.put(SystemProperties.STORAGE_EXPORT_HOST,
        "Volume exports' address (empty: VNET_INTERFACE's; read when the CLC starts)");
    LABELS.put(SystemProperties.VOLUMES_PATH, "Volumes path (block storage; read when the CLC starts)");
    LABELS.put(SystemProperties.VOLUME_MAX_SIZE_GB, "Maximum volume size (GB)");
    LABELS.put(SystemProperties.VOLUMES_MAX_TOTAL_GB, "Space reserved for volumes (GB)");
  }

  private final ConsoleServices c;

  public ConfigurationPages(ConsoleServices c) {
    this.c = c;
  }

  public void register(Routes r) {
    r.get("/configuration", Access.ADMIN, this::page);
    r.post("/configuration/properties", Access.ADMIN, this::saveProperties, this::page);
    r.post("/configuration/clusters", Access.ADMIN, this::saveCluster, this::page);
    r.post("/configuration/clusters/delete", Access.ADMIN, this::deleteCluster, this::page);
    r.post("/configuration/vmtypes", Access.ADMIN, this::saveVmTypes, this::page);
  }

  private void page(Exchange x) throws IOException {
    String csrf = x.session().csrf;
    StringBuilder b = new StringBuilder("<h2>System</h2>");
    StringBuilder props = new StringBuilder("<table id=\"properties-table\">");
    for (Map.Entry<String, String> p : c.properties().all().entrySet()) {
      String name = p.getKey();
      String label = LABELS.getOrDefault(name, name);
      props.append("<tr><th><label for=\"prop-").append(Html.e(name)).append("\">").append(Html.e(label))
          .append("</label></th><td><input type=\"text\" size=\"50\" id=\"prop-").append(Html.e(name))
          .append("\" name=\"").append(Html.e(name)).append("\" value=\"")
          .append(Html.e(x.valueOr(name, p.getValue()))).append("\"></td><td><code>").append(Html.e(name))
          .append("</code></td></tr>");
    }
    props.append("</table>").append(Html.submit("properties-submit", "Save"));
    b.append(Html.form("properties-form", "/configuration/properties", csrf, props.toString()));

    b.append("<h2>Clusters</h2><table id=\"clusters-table\"><tr><th>Name</th><th>Host</th><th>Port</th><th></th></tr>");
    for (ClusterEntity cl : c.clusters().registered()) {
      String n = cl.name;
      b.append("<tr data-cluster=\"").append(Html.e(n)).append("\"><td class=\"cluster-name\">").append(Html.e(n))
          .append("</td><td colspan=\"2\">")
          .append(Html.form(null, "/configuration/clusters", csrf, Html.hidden("name", n)
              + "<input type=\"text\" name=\"host\" value=\"" + Html.e(cl.host) + "\"> "
              + "<input type=\"text\" name=\"port\" size=\"6\" value=\"" + cl.port + "\"> "
              + Html.submit("save-cluster-" + n, "Save")))
          .append("</td><td>")
          .append(Html.button(csrf, "/configuration/clusters/delete", "delete-cluster-" + n, "cluster-delete", "Remove",
              "name", n))
          .append("</td></tr>");
    }
    b.append("</table><h3>Add a cluster</h3>").append(Html.form("add-cluster-form", "/configuration/clusters", csrf,
        "<label for=\"cluster-name\">Name:</label><input type=\"text\" id=\"cluster-name\" name=\"name\"><br>"
            + "<label for=\"cluster-host\">Host:</label><input type=\"text\" id=\"cluster-host\" name=\"host\"><br>"
            + "<label for=\"cluster-port\">Port:</label><input type=\"text\" id=\"cluster-port\" name=\"port\""
            + " value=\"8774\"><br>" + Html.submit("add-cluster-submit", "Add cluster")));

    StringBuilder vm = new StringBuilder("<table id=\"vmtypes-table\"><tr><th>Name</th><th>CPUs</th><th>Memory (MB)</th>"
        + "<th>Disk (GB)</th></tr>");
    for (VmTypeEntity v : c.clusters().vmTypes()) {
      vm.append("<tr data-vmtype=\"").append(Html.e(v.name)).append("\"><td>").append(Html.e(v.name)).append("</td>")
          .append(number("cpu." + v.name, x.valueOr("cpu." + v.name, String.valueOf(v.cpu))))
          .append(number("memory." + v.name, x.valueOr("memory." + v.name, String.valueOf(v.memory))))
          .append(number("disk." + v.name, x.valueOr("disk." + v.name, String.valueOf(v.disk)))).append("</tr>");
    }
    vm.append("</table>").append(Html.submit("vmtypes-submit", "Save VM types"));
    b.append("<h2>VM types</h2>").append(Html.form("vmtypes-form", "/configuration/vmtypes", csrf, vm.toString()));
    x.render("Configuration", "configuration", b.toString());
  }

  private static String number(String name, String value) {
    return "<td><input type=\"text\" size=\"6\" name=\"" + Html.e(name) + "\" value=\"" + Html.e(value) + "\"></td>";
  }

  private void saveProperties(Exchange x) throws IOException {
    Map<String, String> current = c.properties().all();
    Map<String, String> changes = new LinkedHashMap<>();
    for (String name : current.keySet()) {
      String v = x.req.getParameter(name);
      if (v == null || v.strip().equals(current.get(name))) {
        continue;
      }
      v = v.strip();
      check(name, v);
      changes.put(name, v);
    }
    changes.forEach((k, v) -> {
      c.properties().set(k, v);
      LOG.info("console: {} set property {} = {}", x.user(), k, v);
    });
    x.redirect("/configuration", Message.info("Configuration saved."));
  }

  private static void check(String name, String v) {
    SystemProperties.problem(name, v).ifPresent(p -> {
      throw new AccountRefused("The value of " + name + " " + p + ". Nothing was saved.");
    });
  }

  private void saveCluster(Exchange x) throws IOException {
    String name = x.param("name").strip();
    String host = x.param("host").strip();
    int port = SystemProperties.positive(x.param("port").strip());
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new AccountRefused("The cluster name may have letters, digits, '.', '_' and '-'.");
    }
    if (!host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}")) {
      throw new AccountRefused("Please give the cluster's host name or address.");
    }
    if (port < 1 || port > 65535) {
      throw new AccountRefused("The port must be a number from 1 to 65535.");
    }
    c.clusters().register(name, host, port);
    LOG.info("console: {} registered cluster {} at {}:{}", x.user(), name, host, port);
    x.redirect("/configuration", Message.info("Cluster " + name + " saved."));
  }

  private void deleteCluster(Exchange x) throws IOException {
    String name = x.param("name");
    if (!c.clusters().deregister(name)) {
      throw new AccountRefused("There is no cluster " + name + ".");
    }
    LOG.info("console: {} removed cluster {}", x.user(), name);
    x.redirect("/configuration", Message.info("Cluster " + name + " removed."));
  }

  private void saveVmTypes(Exchange x) throws IOException {
    List<VmTypeEntity> types = c.clusters().vmTypes();
    for (VmTypeEntity v : types) {
      for (String f : new String[] {"cpu.", "memory.", "disk."}) {
        if (SystemProperties.positive(x.param(f + v.name).strip()) < 0) {
          throw new AccountRefused("The " + f.substring(0, f.length() - 1) + " of " + v.name
              + " must be a positive whole number. Nothing was saved.");
        }
      }
    }
    for (VmTypeEntity v : types) {
      c.clusters().updateVmType(v.name, SystemProperties.positive(x.param("cpu." + v.name).strip()),
          SystemProperties.positive(x.param("memory." + v.name).strip()), SystemProperties.positive(x.param("disk." + v.name).strip()));
    }
    LOG.info("console: {} saved the VM types", x.user());
    x.redirect("/configuration", Message.info("VM types saved."));
  }
}
