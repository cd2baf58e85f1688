package com.eucalyptus.itests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The project's test guest (tools/make-test-images): a kernel, a ramdisk and a root file system
 * whose init prints what it read from the metadata service. Made once per machine and cached.
 */
public record TestImages(Path kernel, Path ramdisk, Path root) {

  /** The ids of the test guest in a cloud: its kernel, its ramdisk and the machine image that names both. */
  public record Registered(String kernelId, String ramdiskId, String imageId) {
  }

  /**
   * Runs tools/make-test-images into -Deuca.test.images (java.io.tmpdir/euca-test-images by
   * default; quick when they are there already) and reads the file names from its images.env.
   */
  public static TestImages make() throws IOException {
    Path dir = Path.of(System.getProperty("euca.test.images", System.getProperty("java.io.tmpdir") + "/euca-test-images"));
    Path source = Path.of(System.getProperty("euca.source", "..")).toAbsolutePath().normalize();
    Shell.run(List.of(source.resolve("tools/make-test-images").toString(), dir.toString()), Map.of(), null,
        Duration.ofMinutes(10)).assertOk();
    Properties env = new Properties();
    try (var r = Files.newBufferedReader(dir.resolve("images.env"))) {
      env.load(r);
    }
    return new TestImages(dir.resolve(env.getProperty("KERNEL")), dir.resolve(env.getProperty("RAMDISK")),
        dir.resolve(env.getProperty("ROOT")));
  }

  /**
   * Kernel and ramdisk (bucket PREFIX-kernels) and the root image naming both (PREFIX-images),
   * bundled, uploaded and registered with the installed tools as the user of {@code creds}.
   */
  public Registered register(CloudInstallation cloud, Path creds, Path work, String bucketPrefix) {
    String kernelId = ImageBundles.bundleUploadRegister(cloud, creds, work, kernel, bucketPrefix + "-kernels",
        "--kernel true -r x86_64");
    String ramdiskId = ImageBundles.bundleUploadRegister(cloud, creds, work, ramdisk, bucketPrefix + "-kernels",
        "--ramdisk true -r x86_64");
    String imageId = ImageBundles.bundleUploadRegister(cloud, creds, work, root, bucketPrefix + "-images",
        "-r x86_64 --kernel " + kernelId + " --ramdisk " + ramdiskId);
    return new Registered(kernelId, ramdiskId, imageId);
  }
}
