package com.eucalyptus.itests.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Images put into the cloud as a user does it: bundled, uploaded and registered with the installed euca2ools. */
public final class ImageBundles {
  private static final Pattern REGISTERED = Pattern.compile("IMAGE\\t(e[mkr]i-[0-9A-F]{8})");

  private ImageBundles() {
  }

  /**
   * euca-bundle-image (into {@code work}/bundle-BUCKET-NAME), euca-upload-bundle and euca-register
   * as the user whose credentials are {@code creds} (the creds-USER folder); returns the image id.
   * {@code extra} are more euca-bundle-image options (--kernel true, -r x86_64, --ramdisk ERI ...).
   */
  public static String bundleUploadRegister(CloudInstallation cloud, Path creds, Path work, Path image, String bucket,
      String extra) {
    String name = image.getFileName().toString();
    String user = creds.getFileName().toString().substring("creds-".length());
    Path dest = work.resolve("bundle-" + bucket + "-" + name);
    String sh = "set -e; . '" + creds.resolve("eucarc") + "'; export EC2_USER_ID=" + user + "; export PATH='"
        + cloud.home().resolve("usr/bin") + "':$PATH; mkdir -p '" + dest + "'; euca-bundle-image -i '" + image + "' -d '"
        + dest + "' " + extra + " >/dev/null; euca-upload-bundle -b " + bucket + " -m '"
        + dest.resolve(name + ".manifest.xml") + "' >/dev/null; euca-register " + bucket + "/" + name + ".manifest.xml";
    Shell.Result r = Shell.run(List.of("bash", "-c", sh), cloud.env(), work, Duration.ofMinutes(5)).assertOk();
    Matcher m = REGISTERED.matcher(r.stdout());
    assertTrue(m.find(), "euca-register printed no image id: " + r.all());
    return m.group(1);
  }
}
