package com.eucalyptus.clc.properties;

import com.eucalyptus.clc.accounts.AccountForm;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.PropertyEntity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cloud's system properties, kept in the database: defaults are written at first start, the
 * admin changes them with ModifyPropertyValue (euca_conf --set-property) and, later, the console.
 */
public final class SystemProperties {
  public static final String WALRUS_PATH = "walrus.storage.path";
  public static final String WALRUS_MAX_BUCKETS = "walrus.max.buckets.per.user";
  public static final String WALRUS_MAX_BUCKET_SIZE = "walrus.max.bucket.size.mb";
  public static final String IMAGE_CACHE_SIZE = "walrus.image.cache.size.mb";
  public static final String DEFAULT_KERNEL = "cloud.default.kernel";
  public static final String DEFAULT_RAMDISK = "cloud.default.ramdisk";
  public static final String DNS_DOMAIN = "cloud.dns.domain";
  public static final String REGION = "cloud.region";
  public static final String CLOUD_URL = "cloud.url";
  public static final String MAIL_HOST = "mail.smtp.host";
  public static final String MAIL_PORT = "mail.smtp.port";
  public static final String ADMIN_EMAIL = "admin.email";
  public static final String CLUSTER_POLL_SECONDS = "cloud.cluster.poll.seconds";
  /** seconds an instance keeps its last known state while its node is silent (then shutting-down, terminated after twice) */
  public static final String INSTANCE_LOST_GRACE_SECONDS = "cloud.instances.lost.grace.seconds";
  /** seconds a terminated instance stays in DescribeInstances (AWS: about an hour) */
  public static final String INSTANCE_TERMINATED_VISIBLE_SECONDS = "cloud.instances.terminated.visible.seconds";
  /** milliseconds between instance polls while an instance is pending or shutting-down */
  public static final String INSTANCE_POLL_FAST_MILLIS = "cloud.instances.poll.fast.millis";
  /** seconds between instance polls otherwise */
  public static final String INSTANCE_POLL_SECONDS = "cloud.instances.poll.seconds";

  /** the most public addresses a user may allocate (1.5.2: maxUserPublicAddresses, 5); the administrator has no limit */
  public static final String ADDRESSES_MAX_PER_USER = "cloud.addresses.max.per.user";
  /** with dynamic addressing off, the addresses kept for launches (1.5.2: systemReservedPublicAddresses, 10) */
  public static final String ADDRESSES_RESERVED = "cloud.addresses.reserved.for.launches";
  /** true: a launch takes any free public address; false: only those kept for launches (1.5.2: doDynamicPublicAddresses) */
  public static final String ADDRESSES_DYNAMIC = "cloud.addresses.dynamic";

  /** the volume backend: "nbd" (ours, the default; 1.5.2's "aoe" comes with issue 14); read when the CLC starts */
  public static final String STORAGE_BACKEND = "storage.backend";
  /** the backends this CLC has */
  public static final Set<String> STORAGE_BACKENDS = Set.of("nbd");
  /**
   * the address the nodes reach the volume exports at (empty: the address of VNET_INTERFACE, the
   * interface 1.5.2's AoE exports used); read when the CLC starts
   */
  public static final String STORAGE_EXPORT_HOST = "storage.export.host";
  /** where the storage controller keeps volumes (1.5.2: storageVolumesDir); read when the CLC starts */
  public static final String VOLUMES_PATH = "storage.volumes.path";
  /** the largest volume a user may create, in GB (1.5.2: storageMaxVolumeSizeInGB, 10) */
  public static final String VOLUME_MAX_SIZE_GB = "storage.max.volume.size.gb";
  /** the space all volumes together may take, in GB (1.5.2: storageMaxTotalVolumeSizeInGb, 50) */
  public static final String VOLUMES_MAX_TOTAL_GB = "storage.max.total.volume.size.gb";

  /** properties whose value is a whole number above 0 */
  private static final Set<String> POSITIVE_NUMBERS = Set.of(WALRUS_MAX_BUCKETS, WALRUS_MAX_BUCKET_SIZE, IMAGE_CACHE_SIZE,
      MAIL_PORT, CLUSTER_POLL_SECONDS, INSTANCE_LOST_GRACE_SECONDS, INSTANCE_TERMINATED_VISIBLE_SECONDS,
      INSTANCE_POLL_FAST_MILLIS, INSTANCE_POLL_SECONDS, VOLUME_MAX_SIZE_GB, VOLUMES_MAX_TOTAL_GB);
  /** the longest value any property takes */
  public static final int MAX_VALUE_LENGTH = 1024;

  private final Database db;

  public SystemProperties(Database db) {
    this.db = db;
  }

  /**
   * Every known property with its default (the original's: 5 buckets, 30 GB image cache; volumes
   * of at most 10 GB, 50 GB of them in all).
   */
  public static Map<String, String> defaults(String bukkitsDir) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(WALRUS_PATH, bukkitsDir);
    d.put(WALRUS_MAX_BUCKETS, "5");
    d.put(WALRUS_MAX_BUCKET_SIZE, "5120");
    d.put(IMAGE_CACHE_SIZE, "30720");
    d.put(DEFAULT_KERNEL, "");
    d.put(DEFAULT_RAMDISK, "");
    d.put(DNS_DOMAIN, "localhost");
    d.put(REGION, "eucalyptus");
    d.put(CLOUD_URL, "");
    d.put(MAIL_HOST, "localhost");
    d.put(MAIL_PORT, "25");
    d.put(ADMIN_EMAIL, "");
    d.put(CLUSTER_POLL_SECONDS, "5");
    d.put(INSTANCE_LOST_GRACE_SECONDS, "120");
    d.put(INSTANCE_TERMINATED_VISIBLE_SECONDS, "3600");
    d.put(INSTANCE_POLL_FAST_MILLIS, "300");
    d.put(INSTANCE_POLL_SECONDS, "5");
    d.put(ADDRESSES_MAX_PER_USER, "5");
    d.put(ADDRESSES_RESERVED, "10");
    d.put(ADDRESSES_DYNAMIC, "true");
    d.put(STORAGE_BACKEND, "nbd");
    d.put(STORAGE_EXPORT_HOST, "");
    d.put(VOLUMES_PATH, volumesDir(bukkitsDir));
    d.put(VOLUME_MAX_SIZE_GB, "10");
    d.put(VOLUMES_MAX_TOTAL_GB, "50");
    return d;
  }

  /** $EUCALYPTUS/var/lib/eucalyptus/volumes: the volumes folder beside Walrus's bukkits (as in 1.5.2). */
  static String volumesDir(String bukkitsDir) {
    java.nio.file.Path parent = java.nio.file.Path.of(bukkitsDir).toAbsolutePath().getParent();
    return (parent == null ? java.nio.file.Path.of("/") : parent).resolve("volumes").toString();
  }

  /**
   * What is wrong with {@code value} for property {@code name}, as a phrase to follow "the value
   * of NAME" ("must be true or false"); empty when the value may be stored. The one set of rules
   * for every path that changes a property: the ModifyPropertyValue admin action (euca_conf
   * --set-property) and the console's Configuration tab. Properties without a rule of their own
   * (paths, host names, the region...) take any value up to {@link #MAX_VALUE_LENGTH} characters.
   */
  public static Optional<String> problem(String name, String value) {
    if (value == null) {
      return Optional.of("is missing");
    }
    if (value.length() > MAX_VALUE_LENGTH) {
      return Optional.of("is too long (at most " + MAX_VALUE_LENGTH + " characters)");
    }
    if (POSITIVE_NUMBERS.contains(name) && positive(value) < 0) {
      return Optional.of("must be a positive whole number");
    }
    if ((name.equals(ADDRESSES_MAX_PER_USER) || name.equals(ADDRESSES_RESERVED)) && !value.matches("\\d{1,9}")) {
      return Optional.of("must be a whole number, 0 or more");
    }
    if (name.equals(ADDRESSES_DYNAMIC) && !value.equals("true") && !value.equals("false")) {
      return Optional.of("must be true or false");
    }
    if (name.equals(ADMIN_EMAIL) && !AccountForm.validEmail(value)) {
      return Optional.of("must be an e-mail address (name@host)");
    }
    if (name.equals(STORAGE_BACKEND) && !STORAGE_BACKENDS.contains(value)) {
      return Optional.of("must be one of " + String.join(", ", new java.util.TreeSet<>(STORAGE_BACKENDS)));
    }
    if (name.equals(STORAGE_EXPORT_HOST) && !value.isEmpty() && !value.matches("[A-Za-z0-9.:-]{1,253}")) {
      return Optional.of("must be a host name or address the nodes reach (or empty)");
    }
    if (name.equals(VOLUMES_PATH) && !value.startsWith("/")) {
      return Optional.of("must be an absolute path");
    }
    if (name.equals(CLOUD_URL) && !value.isEmpty() && !value.matches("https?://[^/\\s?#]+/?")) {
      return Optional.of("must look like http://host:8773 (or be empty)");
    }
    if (name.equals(DEFAULT_KERNEL) && !value.isEmpty() && !value.matches("eki-[0-9A-Fa-f]{8}")) {
      return Optional.of("must be an eki-xxxxxxxx id (or empty)");
    }
    if (name.equals(DEFAULT_RAMDISK) && !value.isEmpty() && !value.matches("eri-[0-9A-Fa-f]{8}")) {
      return Optional.of("must be an eri-xxxxxxxx id (or empty)");
    }
    return Optional.empty();
  }

  /** The value as a positive int, or -1 (also the console's reading of its number fields). */
  public static int positive(String v) {
    try {
      int n = Integer.parseInt(v);
      return n > 0 ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Adds the properties that are missing; existing values are never changed. */
  public void ensureDefaults(String bukkitsDir) {
    db.tx(s -> {
      for (Map.Entry<String, String> e : defaults(bukkitsDir).entrySet()) {
        if (s.find(PropertyEntity.class, e.getKey()) == null) {
          s.persist(new PropertyEntity(e.getKey(), e.getValue()));
        }
      }
      return null;
    });
  }

  public String get(String name) {
    return db.tx(s -> {
      PropertyEntity p = s.find(PropertyEntity.class, name);
      return p == null || p.value == null ? "" : p.value;
    });
  }

  /** A numeric property; {@code fallback} when unset or not a number. */
  public long number(String name, long fallback) {
    try {
      return Long.parseLong(get(name).trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  public Map<String, String> all() {
    return db.tx(s -> {
      Map<String, String> out = new LinkedHashMap<>();
      List<PropertyEntity> list = s.createQuery("from PropertyEntity order by name", PropertyEntity.class).getResultList();
      list.forEach(p -> out.put(p.name, p.value == null ? "" : p.value));
      return out;
    });
  }

  /**
   * Sets a known property, unchecked (callers check {@link #problem} first); returns the old value,
   * or null when there is no such property.
   */
  public String set(String name, String value) {
    return db.tx(s -> {
      PropertyEntity p = s.find(PropertyEntity.class, name);
      if (p == null) {
        return null;
      }
      String old = p.value == null ? "" : p.value;
      p.value = value;
      return old;
    });
  }
}
