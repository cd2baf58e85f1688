package com.eucalyptus.cc.network.state;

import com.eucalyptus.cc.network.model.GroupRef;
import com.eucalyptus.cc.network.model.IngressRule;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps {@link NetworkState} in one text file (by default
 * {@code $EUCALYPTUS/var/run/eucalyptus/net/cc-network-state}), replaced atomically on every change
 * (written beside it, flushed to disk, then renamed over it), so a CC killed at any moment leaves
 * either the old state or the new one. One record per line, tab-separated, each field
 * URL-encoded (names may hold any character):
 * <pre>
 * eucalyptus-cc-network-state 1
 * cloud     &lt;ip&gt;
 * network   &lt;user&gt; &lt;group&gt; &lt;vlan&gt;
 * rule      &lt;user&gt; &lt;group&gt; &lt;protocol&gt; &lt;from&gt; &lt;to&gt; &lt;cidr,cidr&gt; &lt;user/group,…&gt;
 * instance  &lt;id&gt; &lt;mac&gt; &lt;ip&gt; &lt;vlan&gt; &lt;user&gt; &lt;group&gt;   (user and group empty in STATIC)
 * public    &lt;public ip&gt; &lt;private ip&gt;
 * </pre>
 * A group listed with {@code rules-of <user> <group>} and no rule lines has an empty rule set.
 */
public final class NetworkStateStore {
  public static final String FILE_NAME = "cc-network-state";
  private static final String HEADER = "eucalyptus-cc-network-state 1";
  private final Path file;

  public NetworkStateStore(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The saved state; {@link NetworkState#EMPTY} when there is no file yet. A damaged file is an IOException naming it. */
  public NetworkState load() throws IOException {
    if (!Files.exists(file)) {
      return NetworkState.EMPTY;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new IOException(file + " is not a CC network state file (first line should be \"" + HEADER + "\")");
    }
    String cloud = null;
    Map<GroupRef, Integer> networks = new LinkedHashMap<>();
    Map<GroupRef, List<IngressRule>> rules = new LinkedHashMap<>();
    Map<String, NetworkState.Assignment> assignments = new LinkedHashMap<>();
    Map<String, String> publicIps = new LinkedHashMap<>();
    for (int n = 1; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      try {
        switch (f[0]) {
          case "cloud" -> cloud = dec(f[1]);
          case "network" -> networks.put(new GroupRef(dec(f[1]), dec(f[2])), Integer.parseInt(f[3]));
          case "rules-of" -> rules.computeIfAbsent(new GroupRef(dec(f[1]), dec(f[2])), g -> new ArrayList<>());
          case "rule" -> rules.computeIfAbsent(new GroupRef(dec(f[1]), dec(f[2])), g -> new ArrayList<>())
              .add(new IngressRule(dec(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]), list(f[6]), groups(f[7])));
          case "instance" -> assignments.put(dec(f[1]), new NetworkState.Assignment(dec(f[1]), dec(f[2]), dec(f[3]),
              Integer.parseInt(f[4]), f[5].isEmpty() && f[6].isEmpty() ? null : new GroupRef(dec(f[5]), dec(f[6]))));
          case "public" -> publicIps.put(dec(f[1]), dec(f[2]));
          default -> throw new IllegalArgumentException("unknown record " + f[0]);
        }
      } catch (RuntimeException e) {
        throw new IOException(file + " line " + (n + 1) + " is damaged (" + e.getMessage() + "): " + line, e);
      }
    }
    return new NetworkState(cloud, networks, rules, assignments, publicIps);
  }

  /** Replaces the file with {@code state}, atomically. */
  public void save(NetworkState state) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    if (state.cloudIp() != null) {
      row(sb, "cloud", enc(state.cloudIp()));
    }
    state.networks().forEach((g, vlan) -> row(sb, "network", enc(g.user()), enc(g.group()), String.valueOf(vlan)));
    state.rules().forEach((g, rs) -> {
      row(sb, "rules-of", enc(g.user()), enc(g.group()));
      for (IngressRule r : rs) {
        row(sb, "rule", enc(g.user()), enc(g.group()), enc(r.protocol()), String.valueOf(r.fromPort()),
            String.valueOf(r.toPort()), String.join(",", r.cidrs().stream().map(NetworkStateStore::enc).toList()),
            String.join(",", r.sources().stream().map(s -> enc(s.user()) + "/" + enc(s.group())).toList()));
      }
    });
    state.assignments().values().forEach(a -> row(sb, "instance", enc(a.instanceId()), enc(a.mac()), enc(a.ip()),
        String.valueOf(a.vlan()), a.group() == null ? "" : enc(a.group().user()), a.group() == null ? "" : enc(a.group().group())));
    state.publicIps().forEach((pub, priv) -> row(sb, "public", enc(pub), enc(priv)));
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".new");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void row(StringBuilder sb, String... fields) {
    sb.append(String.join("\t", fields)).append('\n');
  }

  private static String enc(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static List<String> list(String field) {
    return field.isEmpty() ? List.of() : Arrays.stream(field.split(",")).map(NetworkStateStore::dec).toList();
  }

  private static List<GroupRef> groups(String field) {
    List<GroupRef> out = new ArrayList<>();
    for (String ug : field.isEmpty() ? new String[0] : field.split(",")) {
      int slash = ug.indexOf('/');
      out.add(new GroupRef(dec(ug.substring(0, slash)), dec(ug.substring(slash + 1))));
    }
    return out;
  }
}
