package com.eucalyptus.clc.metadata;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One instance's metadata as the tree a guest walks under {@code /latest/}: {@code meta-data/}
 * with the keys of 1.5.2's VmInstance metadata map, and {@code user-data}. Directories answer
 * their listing (one entry a line, sub-directories with a trailing '/', sorted, no final
 * newline, as EC2 does); leaves answer their value.
 *
 * <p>What is left out, as 1.5.2 and EC2 did: ramdisk-id without a ramdisk, kernel-id without a
 * kernel, public-keys/ without a key pair, user-data without user data. product-codes and
 * ancestor-ami-ids are always listed (1.5.2 listed them, empty when the image has none; images
 * here have no ancestors).
 */
final class MetadataTree {
  private static final String TEXT = "text/plain";
  private static final String BYTES = "application/octet-stream";

  /** What a path answers: its bytes and their content type. */
  record Answer(byte[] body, String contentType) {
  }

  /** A directory: children by name; a child's line in the listing is its label (default: its name). */
  private static final class Dir {
    final Map<String, Object> children = new TreeMap<>();
    final Map<String, String> labels = new TreeMap<>();

    Dir leaf(String name, String value) {
      if (value != null && !value.isEmpty()) {
        children.put(name, new Answer(value.getBytes(StandardCharsets.UTF_8), TEXT));
      }
      return this;
    }

    /** A leaf that is listed even when empty (product-codes, ancestor-ami-ids as in 1.5.2). */
    Dir listLeaf(String name, List<String> values) {
      children.put(name, new Answer(String.join("\n", values).getBytes(StandardCharsets.UTF_8), TEXT));
      return this;
    }

    Dir dir(String name, Dir dir) {
      if (!dir.children.isEmpty()) {
        children.put(name, dir);
      }
      return this;
    }

    Answer listing() {
      StringBuilder out = new StringBuilder();
      for (Map.Entry<String, Object> e : children.entrySet()) {
        if (out.length() > 0) {
          out.append('\n');
        }
        String label = labels.get(e.getKey());
        out.append(label != null ? label : e.getValue() instanceof Dir ? e.getKey() + "/" : e.getKey());
      }
      return new Answer(out.toString().getBytes(StandardCharsets.UTF_8), TEXT);
    }
  }

  private final Dir root;

  MetadataTree(InstanceMetadata m) {
    Dir meta = new Dir()
        .leaf("ami-id", m.imageId())
        .leaf("ami-launch-index", Integer.toString(m.launchIndex()))
        .leaf("ami-manifest-path", m.manifestPath())
        .listLeaf("ancestor-ami-ids", List.of())
        .listLeaf("product-codes", orEmpty(m.productCodes()))
        // 1.5.2 answered hostname with the public address, as public-hostname (no DNS names then)
        .leaf("hostname", m.publicHostname())
        .leaf("public-hostname", m.publicHostname())
        .leaf("public-ipv4", m.publicIpv4())
        .leaf("local-hostname", m.localHostname())
        .leaf("local-ipv4", m.localIpv4())
        .leaf("instance-id", m.instanceId())
        .leaf("instance-type", m.instanceType())
        .leaf("reservation-id", m.reservationId())
        .leaf("kernel-id", m.kernelId())
        .leaf("ramdisk-id", m.ramdiskId())
        .leaf("security-groups", String.join("\n", orEmpty(m.securityGroups())))
        .dir("block-device-mapping", blockDeviceMapping(m.blockDeviceMapping()))
        .dir("public-keys", publicKeys(m.keyName(), orEmpty(m.publicKeys())))
        .dir("placement", new Dir().leaf("availability-zone", m.availabilityZone()));
    root = new Dir().dir("meta-data", meta);
    if (m.userData() != null && m.userData().length > 0) {
      root.children.put("user-data", new Answer(m.userData().clone(), BYTES));
    }
  }

  private static Dir blockDeviceMapping(Map<String, String> mapping) {
    Dir d = new Dir();
    if (mapping != null) {
      mapping.forEach(d::leaf);
      // Eucalyptus guests look for "emi", EC2's for "ami": the original answered both
      if (mapping.containsKey("ami") && !mapping.containsKey("emi")) {
        d.leaf("emi", mapping.get("ami"));
      }
    }
    return d;
  }

  /** {@code public-keys/} lists {@code 0=<keyname>}; {@code public-keys/0/} lists {@code openssh-key}. */
  private static Dir publicKeys(String keyName, List<String> keys) {
    Dir d = new Dir();
    for (int i = 0; i < keys.size(); i++) {
      Dir key = new Dir().leaf("openssh-key", keys.get(i));
      d.dir(Integer.toString(i), key);
      if (d.children.containsKey(Integer.toString(i))) {
        d.labels.put(Integer.toString(i), i + "=" + (keyName == null ? "" : keyName));
      }
    }
    return d;
  }

  private static List<String> orEmpty(List<String> l) {
    return l == null ? List.of() : l;
  }

  /**
   * @param path below the version, e.g. {@code ""}, {@code "meta-data/"}, {@code "meta-data/placement"},
   *     {@code "meta-data/public-keys/0/openssh-key"}; a directory answers with or without the
   *     trailing '/', a leaf only without
   * @return the answer, empty when nothing is there (404)
   */
  Optional<Answer> lookup(String path) {
    Object node = root;
    if (!path.isEmpty()) {
      boolean trailingSlash = path.endsWith("/");
      String[] segments = (trailingSlash ? path.substring(0, path.length() - 1) : path).split("/", -1);
      for (String s : segments) {
        if (!(node instanceof Dir d) || s.isEmpty()) {
          return Optional.empty();
        }
        node = d.children.get(s);
        if (node == null) {
          return Optional.empty();
        }
      }
      if (trailingSlash && !(node instanceof Dir)) {
        return Optional.empty();
      }
    }
    return Optional.of(node instanceof Dir d ? d.listing() : (Answer) node);
  }
}
