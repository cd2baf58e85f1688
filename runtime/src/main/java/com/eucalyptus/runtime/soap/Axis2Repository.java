package com.eucalyptus.runtime.soap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.axis2.AxisFault;
import org.apache.axis2.context.ConfigurationContext;
import org.apache.axis2.context.ConfigurationContextFactory;

/**
 * Axis2 loads its modules (rampart, addressing) from a repository folder. The .mar files travel
 * inside the runtime jar (see runtime/pom.xml); this unpacks them once per process into a
 * private temp folder and builds configuration contexts from it, with Axis2's built-in
 * axis2.xml (which already has the Security phase).
 */
public final class Axis2Repository {
  private static final String[] MODULES = {"rampart.mar", "addressing.mar"};
  private static Path repository;

  private Axis2Repository() {
  }

  public static synchronized Path folder() {
    if (repository == null) {
      try {
        Path dir = Files.createTempDirectory("euca-axis2-");
        // deleteOnExit removes in the reverse order of registration, and only empty folders:
        // each folder is registered before what it holds (a JVM killed with -9 still leaves it)
        dir.toFile().deleteOnExit();
        Path modules = Files.createDirectories(dir.resolve("modules"));
        modules.toFile().deleteOnExit();
        for (String m : MODULES) {
          try (InputStream in = Axis2Repository.class.getResourceAsStream("/axis2-repository/modules/" + m)) {
            if (in == null) {
              throw new IOException("module " + m + " is not on the classpath (runtime jar built without it?)");
            }
            Files.copy(in, modules.resolve(m), StandardCopyOption.REPLACE_EXISTING);
            modules.resolve(m).toFile().deleteOnExit();
          }
        }
        Files.writeString(modules.resolve("modules.list"), String.join("\n", MODULES) + "\n");
        modules.resolve("modules.list").toFile().deleteOnExit();
        Files.createDirectories(dir.resolve("services")).toFile().deleteOnExit();
        repository = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return repository;
  }

  public static ConfigurationContext newContext() throws AxisFault {
    return ConfigurationContextFactory.createConfigurationContextFromFileSystem(folder().toString(), null);
  }
}
