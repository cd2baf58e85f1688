package com.eucalyptus.nc.volumes;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The node's TLS client identity for volumes, where libvirt's QEMU looks for it. libvirt gives
 * every NBD disk with {@code tls='yes'} the credentials of one directory per host: qemu.conf's
 * {@code nbd_tls_x509_cert_dir}, else {@code default_tls_x509_cert_dir}, else /etc/pki/qemu
 * (libvirt's own rule, read from the same qemu.conf libvirtd reads at its start). The NC fills that
 * directory from its keys:
 * <ul>
 * <li>{@code ca-cert.pem} = cloud-cert.pem (the cloud CA, which signs the storage host's export
 * certificate: QEMU checks it and that it names the host of remoteDev);</li>
 * <li>{@code client-cert.pem} = node-cert.pem, {@code client-key.pem} = node-pk.pem (the export
 * admits only this certificate's DN);</li>
 * </ul>
 * the key 0640 in the group QEMU runs in (qemu.conf {@code group}, Debian's libvirt-qemu), the
 * certificates 0644. It marks the directory as its own ({@value #MARK}) and never overwrites
 * credentials someone else put there: a directory shared with other TLS uses (VNC, migration)
 * is refused with what to set instead.
 */
public final class NbdClientCredentials {
  private static final Logger LOG = LogManager.getLogger(NbdClientCredentials.class);
  public static final Path QEMU_CONF = Path.of("/etc/libvirt/qemu.conf");
  public static final String LIBVIRT_DEFAULT_DIR = "/etc/pki/qemu";
  static final String MARK = ".eucalyptus-nc";
  private static final String DEFAULT_QEMU_GROUP = "libvirt-qemu";
  private static final Pattern SETTING = Pattern.compile("^\\s*([a-z_0-9]+)\\s*=\\s*\"([^\"]*)\"\\s*(#.*)?$");
  /** file in the directory <- file in the NC's keys directory */
  private static final List<String[]> FILES = List.of(new String[] {"ca-cert.pem", "cloud-cert.pem"},
      new String[] {"client-cert.pem", "node-cert.pem"}, new String[] {"client-key.pem", "node-pk.pem"});

  private final Path keysDir;
  private final Path qemuConf;

  /** @param keysDir the NC's keys ($EUCALYPTUS/var/lib/eucalyptus/keys); @param qemuConf libvirt's qemu.conf */
  public NbdClientCredentials(Path keysDir, Path qemuConf) {
    this.keysDir = keysDir;
    this.qemuConf = qemuConf;
  }

  /** The directory libvirt hands QEMU for NBD TLS, as qemu.conf says. */
  public Path directory() throws IOException {
    String nbd = setting("nbd_tls_x509_cert_dir");
    if (nbd != null) {
      return Path.of(nbd);
    }
    String dflt = setting("default_tls_x509_cert_dir");
    return Path.of(dflt != null ? dflt : LIBVIRT_DEFAULT_DIR);
  }

  /** How the directory is chosen, for messages: the qemu.conf line that names it, or the default. */
  private String origin() throws IOException {
    if (setting("nbd_tls_x509_cert_dir") != null) {
      return "qemu.conf's nbd_tls_x509_cert_dir";
    }
    if (setting("default_tls_x509_cert_dir") != null) {
      return "qemu.conf's default_tls_x509_cert_dir (no nbd_tls_x509_cert_dir in " + qemuConf + ")";
    }
    return "libvirt's default (neither nbd_tls_x509_cert_dir nor default_tls_x509_cert_dir in " + qemuConf + ")";
  }

  /**
   * Why volumes could not be attached, found without writing anything (said at NC start: the
   * directory is written only when a volume is attached, so NCs started for other work never
   * touch it); null when nothing is known to be wrong.
   */
  public String problem() {
    return check(false);
  }

  /**
   * Puts the node's current keys into the directory (only what changed, each file replaced
   * atomically, so a QEMU reading them never sees half a key). Returns null when the directory
   * is ready, else why volumes cannot be attached, with what the administrator does.
   */
  public synchronized String ensure() {
    return check(true);
  }

  private String check(boolean write) {
    Path dir;
    String origin;
    try {
      dir = directory();
      origin = origin();
    } catch (IOException e) {
      return "cannot read " + qemuConf + " (libvirt's QEMU settings, which name the NBD TLS directory): " + e.getMessage();
    }
    for (String[] f : FILES) {
      if (!Files.isReadable(keysDir.resolve(f[1]))) {
        return "no readable " + keysDir.resolve(f[1]) + ": the node's keys are needed to reach volumes over TLS "
            + "(euca_conf --synckeys on the front end copies them)";
      }
    }
    try {
      if (!Files.exists(dir.resolve(MARK))) {
        for (String[] f : FILES) {
          Path there = dir.resolve(f[0]);
          if (Files.exists(there, LinkOption.NOFOLLOW_LINKS) && Files.mismatch(there, keysDir.resolve(f[1])) != -1) {
            return dir + " (" + origin + ") already holds a " + f[0] + " that is not this node's: the NC does not replace "
                + "credentials it did not put there. Give NBD its own directory: add nbd_tls_x509_cert_dir = "
                + "\"/etc/pki/libvirt-nbd\" to " + qemuConf + ", create that directory and restart libvirtd";
          }
        }
      }
      if (!write) {
        return null;
      }
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      if (!Files.exists(dir.resolve(MARK))) {
        Files.writeString(dir.resolve(MARK), "The Eucalyptus Node Controller keeps the node's NBD client credentials here "
            + "(from " + keysDir + ") and rewrites them when its keys change.\n");
      }
      copy(keysDir.resolve("cloud-cert.pem"), dir.resolve("ca-cert.pem"), "rw-r--r--", false);
      copy(keysDir.resolve("node-cert.pem"), dir.resolve("client-cert.pem"), "rw-r--r--", false);
      copy(keysDir.resolve("node-pk.pem"), dir.resolve("client-key.pem"), "rw-r-----", true);
      return null;
    } catch (AccessDeniedException e) {
      return "cannot write the node's NBD client credentials into " + dir + " (" + origin + "): permission denied on "
          + e.getFile() + "; run the NC as root, or let EUCA_USER write that directory";
    } catch (IOException e) {
      return "cannot write the node's NBD client credentials into " + dir + " (" + origin + "): " + e;
    }
  }

  private void copy(Path from, Path to, String mode, boolean qemuGroup) throws IOException {
    if (Files.exists(to, LinkOption.NOFOLLOW_LINKS) && Files.mismatch(from, to) == -1) {
      return;
    }
    Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(tmp, Files.readAllBytes(from));
    if (qemuGroup) {
      String group = qemuGroup();
      try {
        GroupPrincipal g = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        Files.getFileAttributeView(tmp, PosixFileAttributeView.class).setGroup(g);
      } catch (IOException e) {
        // QEMU then cannot read the key unless it runs as this user: the attach will say so
        LOG.warn("cannot give {} to group {} (the group QEMU runs in): {}", to, group, e.toString());
      }
    }
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
    Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    LOG.info("NBD TLS client credentials: {} written from {}", to, from.getFileName());
  }

  /** qemu.conf's {@code group}, or Debian's default. A "+gid" is passed as it is. */
  private String qemuGroup() throws IOException {
    String g = setting("group");
    return g == null || g.isBlank() ? DEFAULT_QEMU_GROUP : g;
  }

  /** The value of an uncommented {@code key = "value"} line of qemu.conf, or null. */
  String setting(String key) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(qemuConf);
    } catch (NoSuchFileException e) {
      return null; // libvirt's defaults apply
    }
    String value = null;
    for (String line : lines) {
      Matcher m = SETTING.matcher(line);
      if (m.matches() && m.group(1).equals(key)) {
        value = m.group(2); // the last one wins, as in libvirt's parser
      }
    }
    return value;
  }
}
