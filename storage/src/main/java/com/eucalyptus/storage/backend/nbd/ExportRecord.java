package com.eucalyptus.storage.backend.nbd;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * What an export is, kept beside its pid file ({@code <volume id>.export}) so a restarted CLC
 * gives the same remoteDev: the address and port the daemon listens on, the export name, and
 * the node it was made for (recorded, not enforced: see docs/storage.md, export security).
 */
record ExportRecord(String volumeId, String host, int port, String exportName, String node) {

  /** {@code nbd://host:port/export}, an IPv6 address in brackets. */
  String remoteDev() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "nbd://" + h + ":" + port + "/" + exportName;
  }

  void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("volume", volumeId);
    p.setProperty("host", host);
    p.setProperty("port", Integer.toString(port));
    p.setProperty("export", exportName);
    p.setProperty("node", node);
    StringWriter w = new StringWriter();
    p.store(w, "an NBD export of the storage controller");
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, w.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The record in {@code file}, or null when it is missing or unreadable (an export half made). */
  static ExportRecord read(Path file) {
    Properties p = new Properties();
    try (Reader r = new StringReader(Files.readString(file, StandardCharsets.UTF_8))) {
      p.load(r);
    } catch (IOException e) {
      return null;
    }
    String volume = p.getProperty("volume");
    String host = p.getProperty("host");
    String port = p.getProperty("port");
    String export = p.getProperty("export");
    if (volume == null || host == null || export == null || port == null || !port.matches("[0-9]{1,5}")) {
      return null;
    }
    return new ExportRecord(volume, host, Integer.parseInt(port), export, p.getProperty("node", ""));
  }
}
