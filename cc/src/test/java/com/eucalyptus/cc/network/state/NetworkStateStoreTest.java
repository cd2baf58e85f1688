package com.eucalyptus.cc.network.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.cc.network.model.GroupRef;
import com.eucalyptus.cc.network.model.IngressRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkStateStoreTest {
  @TempDir
  Path dir;

  @Test
  void noFileIsTheEmptyState() throws Exception {
    assertSame(NetworkState.EMPTY, new NetworkStateStore(dir.resolve("net/cc-network-state")).load());
  }

  @Test
  void everythingComesBackAsSavedEvenOddNames() throws Exception {
    GroupRef web = new GroupRef("admin", "web servers\t/,%=");
    GroupRef db = new GroupRef("bob", "db");
    NetworkState s = new NetworkState("10.0.0.1",
        Map.of(web, 2, db, 3),
        Map.of(web, List.of(new IngressRule("tcp", 22, 22, List.of("0.0.0.0/0", "10.0.0.0/8"), List.of()),
                new IngressRule("icmp", -1, -1, List.of(), List.of(db, new GroupRef("carol", "x,y/z")))),
            db, List.of()),
        Map.of("i-00000001", new NetworkState.Assignment("i-00000001", "d0:0d:00:00:00:01", "10.1.0.66", 2, web),
            "i-00000002", new NetworkState.Assignment("i-00000002", "aa:dd:11:ce:ff:ed", "192.168.1.3", 0, null)),
        Map.of("192.0.2.5", "10.1.0.66"));
    NetworkStateStore store = new NetworkStateStore(dir.resolve("net/cc-network-state"));
    store.save(s);
    assertEquals(s, store.load());
    assertFalse(Files.exists(dir.resolve("net/cc-network-state.new")), "the temporary file is renamed over the state");
    store.save(NetworkState.EMPTY);
    assertEquals(NetworkState.EMPTY, store.load());
  }

  @Test
  void aDamagedFileIsAnErrorNamingFileAndLine() throws Exception {
    Path f = dir.resolve("cc-network-state");
    Files.writeString(f, "eucalyptus-cc-network-state 1\nnetwork\tadmin\tdefault\ttwo\n");
    IOException e = assertThrows(IOException.class, () -> new NetworkStateStore(f).load());
    assertTrue(e.getMessage().contains(f + " line 2 is damaged"), e.getMessage());
    Files.writeString(f, "something else\n");
    assertThrows(IOException.class, () -> new NetworkStateStore(f).load());
  }
}
