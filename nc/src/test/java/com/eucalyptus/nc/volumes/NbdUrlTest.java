package com.eucalyptus.nc.volumes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** remoteDev as the nbd backend writes it, and what is refused with which reason. */
class NbdUrlTest {
  @Test
  void hostPortAndExportAreTakenApart() {
    assertEquals(new NbdUrl("192.0.2.7", 10811, "vol-12AB34CD"), NbdUrl.parse("nbd://192.0.2.7:10811/vol-12AB34CD"));
    assertEquals(new NbdUrl("storage.example", NbdUrl.DEFAULT_PORT, "vol-1"), NbdUrl.parse(" nbd://storage.example/vol-1 "));
    assertEquals(new NbdUrl("fd00::2", 10809, "vol-1"), NbdUrl.parse("nbd://[fd00::2]:10809/vol-1"));
  }

  @Test
  void anythingElseIsRefusedSayingWhatIsWrong() {
    for (String[] bad : new String[][] {{null, "required"}, {"", "required"}, {"/dev/etherd/e0.1", "not an nbd:// URL"},
        {"iscsi://h/x", "not an nbd:// URL"}, {"nbd:///vol-1", "needs a host"}, {"nbd://h:10809/", "no export name"},
        {"nbd://h:10809/a'b", "no export name"}, {"nbd://u@h/vol-1", "needs a host"}, {"nbd://h/vol-1?x=1", "needs a host"},
        {"nbd://h:70000/vol-1", "outside 1-65535"}, {"nbd://h:0/vol-1", "outside 1-65535"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NbdUrl.parse(bad[0]), bad[0]);
      assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
    }
  }
}
