package com.eucalyptus.nc.volumes;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * A volume's remoteDev as the storage controller's nbd backend gives it:
 * {@code nbd://host[:port]/export} (port 10809, NBD's own, when left out). The host is the one
 * the export's certificate names: QEMU checks it against the certificate's subjectAltName.
 */
public record NbdUrl(String host, int port, String export) {
  public static final int DEFAULT_PORT = 10809;
  private static final Pattern EXPORT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  /** @throws IllegalArgumentException naming what is wrong with {@code remoteDev} */
  public static NbdUrl parse(String remoteDev) {
    if (remoteDev == null || remoteDev.isBlank()) {
      throw new IllegalArgumentException("remoteDev is required (nbd://host:port/export)");
    }
    URI u;
    try {
      u = new URI(remoteDev.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("remoteDev \"" + remoteDev + "\" is not a URL (nbd://host:port/export)", e);
    }
    if (!"nbd".equalsIgnoreCase(u.getScheme())) {
      throw new IllegalArgumentException("remoteDev \"" + remoteDev + "\" is not an nbd:// URL: this node attaches only the nbd "
          + "backend's exports (nbd://host:port/export)");
    }
    String host = u.getHost();
    if (host == null || host.isEmpty() || u.getUserInfo() != null || u.getQuery() != null || u.getFragment() != null) {
      throw new IllegalArgumentException("remoteDev \"" + remoteDev + "\" needs a host and nothing else but a port and an "
          + "export name (nbd://host:port/export)");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String path = u.getPath() == null ? "" : u.getPath();
    String export = path.startsWith("/") ? path.substring(1) : path;
    if (!EXPORT.matcher(export).matches()) {
      throw new IllegalArgumentException("remoteDev \"" + remoteDev + "\" has no export name, or one with other characters "
          + "than letters, digits and ._:- (nbd://host:port/export)");
    }
    int port = u.getPort() == -1 ? DEFAULT_PORT : u.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("remoteDev \"" + remoteDev + "\" has port " + port + ", outside 1-65535");
    }
    return new NbdUrl(host, port, export);
  }
}
