package com.eucalyptus.clc.api.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.TestDatabases;
import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.api.Xml;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.compute.addresses.AddressSettings;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.properties.SystemProperties;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ModifyPropertyValue (euca_conf --set-property) checks the value with the same rules as the
 * console's Configuration tab (SystemProperties.problem): a bad value is answered with
 * InvalidParameterValue naming the property and the value, and nothing is stored.
 */
class CloudActionsPropertiesTest {
  @TempDir
  Path home;
  Database db;
  SystemProperties properties;
  Accounts.User admin;
  Ec2Action modify;

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabases.fileDatabase(home);
    Accounts accounts = new Accounts(db);
    admin = accounts.add("admin", "", true, null).orElseThrow();
    properties = new SystemProperties(db);
    properties.ensureDefaults(home.resolve("bukkits").toString());
    modify = new CloudActions(accounts, new Clusters(db), properties, null).all().stream()
        .filter(a -> a.name().equals("ModifyPropertyValue")).findFirst().orElseThrow();
  }

  @AfterEach
  void close() {
    db.close();
  }

  private String set(String name, String value) throws Exception {
    String query = "Name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&Value="
        + URLEncoder.encode(value, StandardCharsets.UTF_8);
    QueryRequest r = QueryRequest.of("GET", "h", "/services/Eucalyptus", query, new byte[0], null, Map.of());
    Xml out = new Xml();
    modify.handle(r, admin, out);
    return out.toString();
  }

  private void refused(String name, String value, String why) {
    String before = properties.get(name);
    Ec2Exception e = assertThrows(Ec2Exception.class, () -> set(name, value), name + "=" + value);
    assertEquals("InvalidParameterValue", e.code(), e.getMessage());
    String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value; // a long value is cut short
    assertTrue(e.getMessage().contains("property " + name) && e.getMessage().contains("'" + shown + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertEquals(before, properties.get(name), "nothing stored for " + name + "=" + value);
  }

  @Test
  void aMisspeltSwitchIsRefusedAndNotReadAsOn() throws Exception {
    set(SystemProperties.ADDRESSES_DYNAMIC, "false");
    assertEquals("false", properties.get(SystemProperties.ADDRESSES_DYNAMIC));
    refused(SystemProperties.ADDRESSES_DYNAMIC, "flase", "must be true or false");
    refused(SystemProperties.ADDRESSES_DYNAMIC, "TRUE", "must be true or false");
    refused(SystemProperties.ADDRESSES_DYNAMIC, "", "must be true or false");
    assertEquals(false, AddressSettings.of(properties).dynamic(), "still off");
    set(SystemProperties.ADDRESSES_DYNAMIC, "true");
    assertEquals("true", properties.get(SystemProperties.ADDRESSES_DYNAMIC));
  }

  @Test
  void addressLimitsMustBeWholeNumbersZeroOrMore() throws Exception {
    for (String name : new String[] {SystemProperties.ADDRESSES_MAX_PER_USER, SystemProperties.ADDRESSES_RESERVED}) {
      refused(name, "ten", "must be a whole number, 0 or more");
      refused(name, "-1", "must be a whole number, 0 or more");
      refused(name, "", "must be a whole number, 0 or more");
      refused(name, "1e3", "must be a whole number, 0 or more");
      set(name, "0");
      assertEquals("0", properties.get(name));
      set(name, "12");
      assertEquals("12", properties.get(name));
    }
  }

  @Test
  void theRulesTheConsoleHadHoldForEveryProperty() throws Exception {
    for (String name : new String[] {SystemProperties.WALRUS_MAX_BUCKETS, SystemProperties.WALRUS_MAX_BUCKET_SIZE,
        SystemProperties.IMAGE_CACHE_SIZE, SystemProperties.MAIL_PORT, SystemProperties.CLUSTER_POLL_SECONDS,
        SystemProperties.INSTANCE_LOST_GRACE_SECONDS, SystemProperties.INSTANCE_TERMINATED_VISIBLE_SECONDS,
        SystemProperties.INSTANCE_POLL_FAST_MILLIS, SystemProperties.INSTANCE_POLL_SECONDS}) {
      refused(name, "many", "must be a positive whole number");
      refused(name, "0", "must be a positive whole number");
      set(name, "7");
      assertEquals("7", properties.get(name));
    }
    refused(SystemProperties.DEFAULT_KERNEL, "vmlinuz", "eki-");
    refused(SystemProperties.DEFAULT_RAMDISK, "eki-1234ABCD", "eri-");
    set(SystemProperties.DEFAULT_KERNEL, "eki-1234ABCD");
    set(SystemProperties.DEFAULT_RAMDISK, "");
    refused(SystemProperties.CLOUD_URL, "ftp://cloud", "http://host:8773");
    set(SystemProperties.CLOUD_URL, "http://cloud.example:8773");
    refused(SystemProperties.ADMIN_EMAIL, "nobody", "e-mail address");
    set(SystemProperties.ADMIN_EMAIL, "admin@cloud.example");
    refused(SystemProperties.REGION, "r".repeat(SystemProperties.MAX_VALUE_LENGTH + 1), "too long");
    // properties without a rule of their own take any value
    set(SystemProperties.WALRUS_PATH, "/srv/walrus");
    set(SystemProperties.DNS_DOMAIN, "cloud.example");
    set(SystemProperties.MAIL_HOST, "");
    assertEquals("/srv/walrus", properties.get(SystemProperties.WALRUS_PATH));
  }

  @Test
  void everyDefaultIsAValidValue() throws Exception {
    for (Map.Entry<String, String> d : SystemProperties.defaults(home.resolve("bukkits").toString()).entrySet()) {
      if (d.getKey().equals(SystemProperties.ADMIN_EMAIL)) {
        continue; // empty until the console's first-time setup asks for it; never set back to empty
      }
      assertTrue(SystemProperties.problem(d.getKey(), d.getValue()).isEmpty(), d.toString());
      set(d.getKey(), d.getValue());
    }
  }

  @Test
  void anUnknownPropertyIsStillNamed() {
    Ec2Exception e = assertThrows(Ec2Exception.class, () -> set("cloud.no.such", "1"));
    assertEquals("InvalidParameterValue", e.code());
    assertTrue(e.getMessage().contains("no property named cloud.no.such"), e.getMessage());
  }
}
