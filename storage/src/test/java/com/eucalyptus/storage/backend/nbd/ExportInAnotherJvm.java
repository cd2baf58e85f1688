package com.eucalyptus.storage.backend.nbd;

import com.eucalyptus.runtime.exec.CommandRunner;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A stand-in CLC for NbdBackendTest: exports a volume, prints its remoteDev and waits to be
 * killed with SIGKILL (so nothing is closed or stopped).
 */
public final class ExportInAnotherJvm {
  private ExportInAnotherJvm() {
  }

  static void writeSettings(NbdBackend.Settings s, Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("volumes", s.volumesDir().toString());
    p.setProperty("keys", s.keysDir().toString());
    p.setProperty("tls", s.tlsDir().toString());
    p.setProperty("state", s.stateDir().toString());
    p.setProperty("host", s.host());
    p.setProperty("first", Integer.toString(s.firstPort()));
    p.setProperty("last", Integer.toString(s.lastPort()));
    p.setProperty("daemon", s.daemon());
    try (Writer w = Files.newBufferedWriter(file)) {
      p.store(w, null);
    }
  }

  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
      p.load(r);
    }
    NbdBackend backend = new NbdBackend(new NbdBackend.Settings(Path.of(p.getProperty("volumes")),
        Path.of(p.getProperty("keys")), Path.of(p.getProperty("tls")), Path.of(p.getProperty("state")),
        p.getProperty("host"), Integer.parseInt(p.getProperty("first")), Integer.parseInt(p.getProperty("last")),
        p.getProperty("daemon")), new CommandRunner());
    backend.start();
    String remoteDev = backend.export(args[1], "192.0.2.10");
    // the parent test reads this line; stdout is this process's only channel to it
    System.out.println(remoteDev);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
