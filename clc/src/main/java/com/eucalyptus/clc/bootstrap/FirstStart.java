package com.eucalyptus.clc.bootstrap;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.VmTypeEntity;
import com.eucalyptus.clc.properties.SystemProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What the first start of a CLC creates (and later starts leave alone): the admin account
 * (admin/admin), the default VM types of 1.5.2, the system properties, and keys/admin-credentials
 * from which euca_conf signs its admin calls (as the original euca_conf read the database).
 */
public final class FirstStart {
  private static final Logger LOG = LogManager.getLogger(FirstStart.class);

  private FirstStart() {
  }

  public static void run(Database db, Accounts accounts, SystemProperties properties, Path keysDir, Path bukkits)
      throws IOException {
    properties.ensureDefaults(bukkits.toString());
    db.tx(s -> {
      if (s.createQuery("select count(v) from VmTypeEntity v", Long.class).getSingleResult() == 0) {
        s.persist(new VmTypeEntity("m1.small", 1, 128, 2));
        s.persist(new VmTypeEntity("c1.medium", 1, 256, 5));
        s.persist(new VmTypeEntity("m1.large", 2, 512, 10));
        s.persist(new VmTypeEntity("m1.xlarge", 2, 1024, 20));
        s.persist(new VmTypeEntity("c1.xlarge", 4, 2048, 20));
        LOG.info("created the default VM types");
      }
      return null;
    });
    Accounts.User admin = accounts.find("admin").orElseGet(() -> {
      LOG.info("created the admin account");
      return accounts.add("admin", "", true, "admin").orElseThrow();
    });
    writeAdminCredentials(keysDir, admin);
    warnOfReservedUser(accounts);
  }

  /**
   * A database from before the name was reserved may hold a user named
   * {@link Accounts#RESERVED_NAME}: the addresses it allocates look like the system's (counted as
   * kept for launches, not as that user's). It is left as it is, since deleting a user is the
   * administrator's call (docs/operations.md says what to do); every start says so.
   *
   * @return whether such a user exists
   */
  public static boolean warnOfReservedUser(Accounts accounts) {
    if (accounts.find(Accounts.RESERVED_NAME).isEmpty()) {
      return false;
    }
    LOG.error("a user named '{}' exists, but that name is reserved for the system's public addresses: addresses that"
        + " user allocates are taken for the system's. Give the person another user name (euca_conf --add-user), then"
        + " delete this one once its instances and buckets are gone (euca_conf --delete-user {}); see docs/operations.md", Accounts.RESERVED_NAME,
        Accounts.RESERVED_NAME);
    return true;
  }

  private static void writeAdminCredentials(Path keysDir, Accounts.User admin) throws IOException {
    Path file = keysDir.resolve("admin-credentials");
    Path tmp = keysDir.resolve("admin-credentials.tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, "EC2_ACCESS_KEY=" + admin.accessKey() + "\nEC2_SECRET_KEY=" + admin.secretKey() + "\n");
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
