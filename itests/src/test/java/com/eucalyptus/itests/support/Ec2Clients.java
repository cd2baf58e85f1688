package com.eucalyptus.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real third-party clients the acceptance tests drive: python3-boto (EC2 and S3) and awscli. */
public final class Ec2Clients {
  private Ec2Clients() {
  }

  /** Runs clients/ec2_boto.py (boto 2) with signature version {@code sigv}. */
  public static Shell.Result boto(String endpoint, CloudInstallation.Credentials c, String sigv, String... command) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", botoScript().toString(), endpoint, c.accessKey(),
        c.secretKey(), sigv));
    cmd.addAll(List.of(command));
    return Shell.run(cmd, Map.of(), null, Duration.ofMinutes(1));
  }

  /** Runs /usr/bin/aws (awscli v2, signature v4) against {@code endpoint} in region "eucalyptus". */
  public static Shell.Result aws(String endpoint, CloudInstallation.Credentials c, String... args) {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", endpoint, "--region", "eucalyptus"));
    cmd.addAll(List.of(args));
    return Shell.run(cmd, Map.of("AWS_ACCESS_KEY_ID", c.accessKey(), "AWS_SECRET_ACCESS_KEY", c.secretKey(),
        "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null", "AWS_PAGER", ""), null,
        Duration.ofMinutes(1));
  }

  /**
   * Runs clients/s3_boto.py (boto 2, signature v2, path-style, as euca2ools reached Walrus) against
   * the Walrus of {@code walrusUrl} (http://HOST:PORT/services/Walrus). An S3 error prints
   * "S3ERROR\t<status>\t<code>" and exits 3.
   */
  public static Shell.Result botoS3(String walrusUrl, CloudInstallation.Credentials c, String... command) {
    java.net.URI u = java.net.URI.create(walrusUrl);
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script("s3_boto.py").toString(), u.getHost(),
        String.valueOf(u.getPort() < 0 ? 80 : u.getPort()), c.accessKey(), c.secretKey()));
    cmd.addAll(List.of(command));
    return Shell.run(cmd, Map.of(), null, Duration.ofMinutes(1));
  }

  private static Path botoScript() {
    return script("ec2_boto.py");
  }

  private static final Map<String, Path> scripts = new java.util.HashMap<>();
  private static Path scriptDir;

  /**
   * The client script clients/{@code name}, copied out of the test resources once, under its own
   * name into one folder with ec2_boto.py beside it: the other scripts import its connect().
   */
  public static synchronized Path script(String name) {
    return scripts.computeIfAbsent(name, n -> {
      try {
        if (scriptDir == null) {
          scriptDir = Files.createTempDirectory("euca-clients");
          copyScript("ec2_boto.py");
        }
        return copyScript(n);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static Path copyScript(String n) throws IOException {
    Path p = scriptDir.resolve(n);
    if (!Files.exists(p)) {
      try (InputStream in = Ec2Clients.class.getResourceAsStream("/clients/" + n)) {
        Files.copy(in, p);
      }
    }
    return p;
  }
}
