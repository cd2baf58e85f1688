package com.eucalyptus.itests.support.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/** The client scripts under src/test/resources/clients, copied out to files python3 can run. */
final class ClientScripts {
  private static final Map<String, Path> COPIED = new HashMap<>();

  private ClientScripts() {
  }

  static synchronized Path get(String name) {
    return COPIED.computeIfAbsent(name, n -> {
      try (InputStream in = ClientScripts.class.getResourceAsStream("/clients/" + n)) {
        Path p = Files.createTempFile(n.replace(".py", ""), ".py");
        Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        return p;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
