package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.Ec2Clients;
import com.eucalyptus.itests.support.LogsOnFailure;
import com.eucalyptus.itests.support.Shell;
import com.eucalyptus.itests.support.VerboseZoneView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Started by root with a non-root EUCA_USER: after `euca_conf --setup` (which opens libvirtd's
 * socket to the libvirt group instead of polkit), the three daemons run as that user and the NC
 * reaches libvirt.
 */
class EucaUserIT {
  static final String USER = "eucalyptus";
  static CloudInstallation cloud;

  @RegisterExtension
  static LogsOnFailure logs = new LogsOnFailure(() -> cloud);

  @AfterAll
  static void stop() {
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  void daemonsRunAsEucaUserAndTheNodeReachesLibvirt() throws Exception {
    if (Shell.run(Map.of(), "id", USER).exitCode() != 0) {
      Shell.run(Map.of(), "useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER).assertOk();
    }
    cloud = CloudInstallation.install("eucauser", Map.of("EUCA_USER", USER));
    // the temp folder is private to root; the daemons' user must be able to reach its files
    Shell.run(Map.of(), "chmod", "755", cloud.home().toString()).assertOk();
    cloud.eucaConf("--setup").assertOk();
    cloud.startAll();
    for (String d : new String[] {"cloud", "cc", "nc"}) {
      long pid = Long.parseLong(Files.readString(cloud.home().resolve("var/run/eucalyptus/eucalyptus-" + d + ".pid")).trim());
      String owner = Shell.run(Map.of(), "ps", "-o", "user=", "-p", String.valueOf(pid)).assertOk().stdout().trim();
      assertEquals(USER, owner, "eucalyptus-" + d + " runs as EUCA_USER");
    }
    assertTrue(cloud.eucaConf("--check", "nc").exitCode() == 0, cloud.eucaConf("--check", "nc").all());
    cloud.registerClusterAndNode();
    Credentials admin = CloudInstallation.readEucarc(cloud.credentials("admin"));
    VerboseZoneView.check(cloud, "cluster1", VerboseZoneView.awaitReady("cluster1", () -> VerboseZoneView.parseTabbed(
        Ec2Clients.boto("http://127.0.0.1:8773/services/Eucalyptus", admin, "2", "zones", "verbose").assertOk().stdout())));
    Path keys = cloud.keysDir();
    assertEquals(USER, Files.getOwner(keys.resolve("node-pk.pem")).getName(), "keys belong to EUCA_USER");
  }
}
