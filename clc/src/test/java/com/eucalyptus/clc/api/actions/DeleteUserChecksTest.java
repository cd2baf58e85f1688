package com.eucalyptus.clc.api.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.TestDatabases;
import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.api.Xml;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.properties.SystemProperties;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DeleteUser admin action (euca_conf --delete-user) honours the same deletion checks as the console. */
class DeleteUserChecksTest {
  @TempDir
  Path home;

  @Test
  void deleteUserIsRefusedWhileACheckReportsSomething() throws Exception {
    try (Database db = TestDatabases.fileDatabase(home)) {
      Accounts accounts = new Accounts(db);
      Accounts.User admin = accounts.add("admin", "", true, null).orElseThrow();
      accounts.add("bob", "", false, null).orElseThrow();
      accounts.addDeletionCheck(u -> u.equals("bob") ? List.of("owns the non-empty bucket b1") : List.of());
      Ec2Action delete = new CloudActions(accounts, new Clusters(db), new SystemProperties(db), null).all().stream()
          .filter(a -> a.name().equals("DeleteUser")).findFirst().orElseThrow();
      QueryRequest r = QueryRequest.of("GET", "h", "/services/Eucalyptus", "UserName=bob", new byte[0], null, Map.of());
      Ec2Exception e = assertThrows(Ec2Exception.class, () -> delete.handle(r, admin, new Xml()));
      assertEquals("DependencyViolation", e.code());
      assertTrue(e.getMessage().contains("owns the non-empty bucket b1"), e.getMessage());
      assertTrue(accounts.find("bob").isPresent());
    }
  }
}
