package com.eucalyptus.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.itests.support.CloudInstallation;
import com.eucalyptus.itests.support.CloudInstallation.Credentials;
import com.eucalyptus.itests.support.Ec2Clients;
import com.eucalyptus.itests.support.PostgresServer;
import com.eucalyptus.itests.support.VerboseZoneView;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same cloud with its database on a real PostgreSQL server instead of the embedded HSQLDB:
 * the same mapping must work, and everything must survive a CLC restart.
 */
class PostgresFoundationIT {
  static final String EC2 = "http://127.0.0.1:8773/services/Eucalyptus";

  @Test
  void cloudRunsOnPostgresqlAndKeepsItsStateAcrossARestart() throws Exception {
    try (PostgresServer pg = PostgresServer.start("eucalyptus");
        CloudInstallation cloud = CloudInstallation.install("postgres", Map.of(
            "CLOUD_DB_URL", pg.jdbcUrl("eucalyptus"), "CLOUD_DB_USER", "postgres", "CLOUD_DB_PASSWORD", ""))) {
      try {
        cloud.startAll();
        cloud.registerClusterAndNode();
        Credentials admin = CloudInstallation.readEucarc(cloud.credentials("admin"));
        VerboseZoneView.check(cloud, "cluster1", VerboseZoneView.awaitReady("cluster1", () ->
            VerboseZoneView.parseTabbed(Ec2Clients.boto(EC2, admin, "2", "zones", "verbose").assertOk().stdout())));
        cloud.eucaConf("--add-user", "dave").assertOk();
        Credentials dave = CloudInstallation.readEucarc(cloud.credentials("dave"));
        // nothing of the state may have gone to the embedded database
        assertTrue(!Files.exists(cloud.home().resolve("var/lib/eucalyptus/db/eucalyptus.script")),
            "HSQLDB files written although PostgreSQL is configured");

        cloud.stop("cloud");
        cloud.start("cloud");
        VerboseZoneView.check(cloud, "cluster1", VerboseZoneView.awaitReady("cluster1", () ->
            VerboseZoneView.parseTabbed(Ec2Clients.boto(EC2, admin, "2", "zones", "verbose").assertOk().stdout())));
        Ec2Clients.aws(EC2, dave, "ec2", "describe-availability-zones").assertOk();
        // the instance store's queries on PostgreSQL: no instances yet, and a user without any can be deleted
        String none = Ec2Clients.aws(EC2, dave, "ec2", "describe-instances", "--output", "json").assertOk().stdout();
        assertTrue(none.contains("\"Reservations\": []"), none);
        cloud.eucaConf("--add-user", "erin").assertOk();
        cloud.eucaConf("--delete-user", "erin").assertOk();
      } catch (Throwable t) {
        throw new AssertionError(t.getMessage() + "\n" + cloud.tailLogs(), t);
      }
    }
  }
}
