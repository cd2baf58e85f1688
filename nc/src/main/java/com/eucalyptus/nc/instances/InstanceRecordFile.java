package com.eucalyptus.nc.instances;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * {@code instance.properties} in an instance's folder: its launch request, launch time and
 * attached volumes ({@code volume.<n>.id|remoteDev|localDev|target|state}), so that after an NC
 * restart (kill -9 included: the file is replaced atomically before any answer) the guests still
 * running can be reported with all their fields.
 */
final class InstanceRecordFile {
  static final String NAME = "instance.properties";

  private InstanceRecordFile() {
  }

  static void write(Path dir, LaunchRequest r, Instant launchTime) throws IOException {
    write(dir, r, launchTime, List.of());
  }

  static void write(Path dir, LaunchRequest r, Instant launchTime, List<VolumeAttachment> volumes) throws IOException {
    Properties p = new Properties();
    put(p, "instanceId", r.instanceId());
    put(p, "reservationId", r.reservationId());
    put(p, "userId", r.userId());
    put(p, "imageId", r.imageId());
    put(p, "imageURL", str(r.imageUrl()));
    put(p, "kernelId", r.kernelId());
    put(p, "kernelURL", str(r.kernelUrl()));
    put(p, "ramdiskId", r.ramdiskId());
    put(p, "ramdiskURL", str(r.ramdiskUrl()));
    put(p, "memory", String.valueOf(r.memoryMb()));
    put(p, "cores", String.valueOf(r.cores()));
    put(p, "disk", String.valueOf(r.diskGb()));
    put(p, "keyName", r.keyName());
    put(p, "privateMacAddress", r.privateMacAddress());
    put(p, "publicMacAddress", r.publicMacAddress());
    put(p, "vlan", String.valueOf(r.vlan()));
    put(p, "userData", r.userData());
    put(p, "launchIndex", r.launchIndex());
    put(p, "groupNames", String.join("\n", r.groupNames()));
    put(p, "launchTime", launchTime.toString());
    for (int n = 0; n < volumes.size(); n++) {
      VolumeAttachment v = volumes.get(n);
      put(p, "volume." + n + ".id", v.volumeId());
      put(p, "volume." + n + ".remoteDev", v.remoteDev());
      put(p, "volume." + n + ".localDev", v.localDev());
      put(p, "volume." + n + ".target", v.target());
      put(p, "volume." + n + ".state", v.state());
    }
    Path tmp = dir.resolve(NAME + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "written by the Node Controller; read back when it restarts");
    }
    Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The record in {@code dir}: the request, the launch time and the volumes. */
  record Stored(LaunchRequest request, Instant launchTime, List<VolumeAttachment> volumes) {
  }

  static Stored read(Path dir) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve(NAME), StandardCharsets.UTF_8)) {
      p.load(r);
    }
    String groups = p.getProperty("groupNames", "");
    LaunchRequest req = new LaunchRequest(p.getProperty("instanceId"), p.getProperty("reservationId"), p.getProperty("userId"),
        p.getProperty("imageId"), uri(p.getProperty("imageURL")), p.getProperty("kernelId"), uri(p.getProperty("kernelURL")),
        p.getProperty("ramdiskId"), uri(p.getProperty("ramdiskURL")), Integer.parseInt(p.getProperty("memory", "0")),
        Integer.parseInt(p.getProperty("cores", "0")), Integer.parseInt(p.getProperty("disk", "0")), p.getProperty("keyName"),
        p.getProperty("privateMacAddress"), p.getProperty("publicMacAddress"), Integer.parseInt(p.getProperty("vlan", "0")),
        p.getProperty("userData"), p.getProperty("launchIndex"),
        groups.isEmpty() ? List.of() : Arrays.asList(groups.split("\n")));
    List<VolumeAttachment> volumes = new ArrayList<>();
    for (int n = 0; p.getProperty("volume." + n + ".id") != null; n++) {
      String v = "volume." + n + ".";
      volumes.add(new VolumeAttachment(p.getProperty(v + "id"), p.getProperty(v + "remoteDev"), p.getProperty(v + "localDev"),
          p.getProperty(v + "target"), p.getProperty(v + "state", VolumeAttachment.ATTACHED)));
    }
    return new Stored(req, Instant.parse(p.getProperty("launchTime")), volumes);
  }

  private static void put(Properties p, String k, String v) {
    if (v != null) {
      p.setProperty(k, v);
    }
  }

  private static String str(URI u) {
    return u == null ? null : u.toString();
  }

  private static URI uri(String s) {
    return s == null || s.isEmpty() ? null : URI.create(s);
  }
}
