package com.eucalyptus.nc.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code INSTANCE_PATH/eucalyptus/nc-networks}: the peers the CC last sent in ncStartNetwork for
 * each network (vlan) of this node, so that a restarted NC (kill -9 included) can ensure the
 * networks of its running guests again with the same forwarding entries before any CC call
 * arrives. Text: a header line {@code eucalyptus-nc-networks 1}, then one line per network,
 * {@code network <vlan> <peer,peer,...>} (tab-separated; no peers is an empty field). Rewritten
 * whole on every change (written to {@code nc-networks.new}, fsync'ed, renamed), so a crash leaves
 * the old file or the new one.
 */
public final class NetworkPeersFile {
  public static final String FILE_NAME = "nc-networks";
  private static final String HEADER = "eucalyptus-nc-networks 1";
  private final Path file;

  public NetworkPeersFile(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** vlan → the peers last sent for it; empty when the file does not exist yet. */
  public Map<Integer, List<String>> read() throws IOException {
    Map<Integer, List<String>> out = new TreeMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return out;
    }
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new IOException(file + " line 1: not a peers file of this NC (expected \"" + HEADER + "\"; move it away to start afresh)");
    }
    for (int n = 1; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != 3 || !f[0].equals("network") || !f[1].matches("\\d{1,9}")) {
        throw new IOException(file + " line " + (n + 1) + ": \"" + line + "\" is not \"network <vlan> <peers>\" (move the file away to start afresh)");
      }
      out.put(Integer.parseInt(f[1]), f[2].isEmpty() ? List.of() : List.of(f[2].split(",")));
    }
    return out;
  }

  /** Replaces the whole file with {@code networks}. */
  public void write(Map<Integer, List<String>> networks) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    new TreeMap<>(networks).forEach((vlan, peers) ->
        sb.append("network\t").append(vlan).append('\t').append(String.join(",", peers)).append('\n'));
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".new");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Records {@code peers} as network {@code vlan}'s. */
  public void put(int vlan, List<String> peers) throws IOException {
    Map<Integer, List<String>> all = read();
    all.put(vlan, new ArrayList<>(peers));
    write(all);
  }

  /** Forgets network {@code vlan}. */
  public void remove(int vlan) throws IOException {
    Map<Integer, List<String>> all = read();
    if (all.remove(vlan) != null) {
      write(all);
    }
  }
}
