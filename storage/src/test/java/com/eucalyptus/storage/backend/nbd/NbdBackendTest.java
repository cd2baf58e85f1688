package com.eucalyptus.storage.backend.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import com.eucalyptus.storage.backend.VolumeBackend.StoredVolume;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nbd backend with a real qemu-storage-daemon and qemu-io as the NBD client (the node's
 * view). A CLC kill -9 is a new backend object over the same folders, the old one never closed;
 * one test kills a real JVM.
 */
class NbdBackendTest {
  private static final long MIB = 1024 * 1024;

  @TempDir
  Path root;
  TestCloud cloud;
  NbdBackend backend;

  @BeforeEach
  void setUp() throws IOException {
    cloud = new TestCloud(root);
    backend = new NbdBackend(cloud.settings(), new CommandRunner());
    assertNull(backend.problem());
    backend.start();
  }

  @AfterEach
  void stopDaemons() throws IOException {
    ExportDaemons daemons = daemons();
    for (String id : daemons.recorded()) {
      daemons.stop(id);
    }
  }

  private ExportDaemons daemons() {
    NbdBackend.Settings s = cloud.settings();
    return new ExportDaemons(s.stateDir(), s.daemon(), s.host(), s.firstPort(), s.lastPort(),
        new ExportTls(s.keysDir(), s.tlsDir()), new CommandRunner());
  }

  @Test
  void aVolumeIsASparseFileOfItsSizeListedByItsId() throws IOException {
    backend.create("vol-1A2B3C4D", 1024 * MIB);
    Path file = root.resolve("volumes/vol-1A2B3C4D");
    assertEquals(1024 * MIB, Files.size(file));
    long allocated = Long.parseLong(new CommandRunner().run("stat", "-c", "%b*%B", file.toString()).orThrow()
        .stdout().strip().split("\\*")[0]) * 512;
    assertTrue(allocated < MIB, "a new volume allocates no blocks, but has " + allocated + " bytes");
    assertEquals(List.of(new StoredVolume("vol-1A2B3C4D", 1024 * MIB)), backend.list());
    // a repeated create is fine, another size for the same id is not
    backend.create("vol-1A2B3C4D", 1024 * MIB);
    assertThrows(IOException.class, () -> backend.create("vol-1A2B3C4D", 2048 * MIB));
    assertThrows(IllegalArgumentException.class, () -> backend.create("vol-0", 0));
    assertThrows(IllegalArgumentException.class, () -> backend.create("../etc", MIB));
  }

  @Test
  void anInterruptedCreateIsNotListedAndTheNextStartRemovesIt() throws IOException {
    backend.create("vol-00000001", MIB);
    // what a kill -9 between the temporary file and the rename leaves
    Path leftover = root.resolve("volumes/.vol-00000002.creating");
    Files.write(leftover, new byte[4096]);
    assertEquals(List.of(new StoredVolume("vol-00000001", MIB)), backend.list());
    NbdBackend restarted = new NbdBackend(cloud.settings(), new CommandRunner());
    restarted.start();
    assertFalse(Files.exists(leftover));
    assertEquals(List.of(new StoredVolume("vol-00000001", MIB)), restarted.list());
  }

  @Test
  void theNodeReadsAndWritesOverTlsAndNoOneElseGetsIn() throws IOException {
    backend.create("vol-0000000A", 64 * MIB);
    String remoteDev = backend.export("vol-0000000A", "192.0.2.10");
    URI u = URI.create(remoteDev);
    assertEquals("nbd", u.getScheme());
    assertEquals(cloud.host, u.getHost());
    assertTrue(u.getPort() >= cloud.firstPort && u.getPort() <= cloud.lastPort, remoteDev);
    assertEquals("/vol-0000000A", u.getPath());
    assertEquals(remoteDev, backend.export("vol-0000000A", "192.0.2.10"), "exporting again gives the same export");
    assertEquals(remoteDev, backend.exportOf("vol-0000000A"));

    CommandResult node = cloud.qemuIo(remoteDev, cloud.nodeClient, "write -P 0x5a 1M 64k", "read -P 0x5a 1M 64k",
        "read -P 0 0 64k");
    assertEquals(0, node.exitCode(), node.stdout() + node.stderr());
    // the bytes reached the volume's file
    byte[] onDisk = new byte[65536];
    try (var f = new java.io.RandomAccessFile(root.resolve("volumes/vol-0000000A").toFile(), "r")) {
      f.seek(MIB);
      f.readFully(onDisk);
    }
    for (byte b : onDisk) {
      assertEquals(0x5a, b);
    }

    CommandResult plain = cloud.qemuIo(remoteDev, null, "read 0 4k");
    assertNotEquals(0, plain.exitCode());
    assertTrue(plain.stderr().contains("TLS"), plain.stderr());
    // refused by the server (it ends the TLS session), not by the client's own checks
    CommandResult user = cloud.qemuIo(remoteDev, cloud.userClient, "read 0 4k");
    assertNotEquals(0, user.exitCode(), "a user's certificate from the same CA is refused: " + user.stdout());
    assertTrue(user.stderr().contains("Cannot read from TLS channel"), user.stderr());
    CommandResult foreign = cloud.qemuIo(remoteDev, cloud.foreignClient, "read 0 4k");
    assertNotEquals(0, foreign.exitCode(), "another CA's certificate is refused: " + foreign.stdout());
    assertTrue(foreign.stderr().contains("Cannot read from TLS channel"), foreign.stderr());
    // the node still gets in after the refusals (the daemon stayed up)
    CommandResult again = cloud.qemuIo(remoteDev, cloud.nodeClient, "read -P 0x5a 1M 64k");
    assertEquals(0, again.exitCode(), again.stdout() + again.stderr());
  }

  @Test
  void theKeyFilesTheDaemonsReadAreTheOwnersOnly() throws IOException {
    backend.create("vol-0000000B", MIB);
    backend.export("vol-0000000B", "192.0.2.10");
    Path tls = cloud.settings().tlsDir();
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("server-key.pem"))));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cloud.keys.resolve("storage-pk.pem"))));
    assertEquals(Files.readString(cloud.keys.resolve("cloud-cert.pem")), Files.readString(tls.resolve("ca-cert.pem")));
    // kept: a second backend (a restart) issues nothing new
    String cert = Files.readString(cloud.keys.resolve("storage-cert.pem"));
    new NbdBackend(cloud.settings(), new CommandRunner()).start();
    assertEquals(cert, Files.readString(cloud.keys.resolve("storage-cert.pem")));
  }

  @Test
  void aNewBackendAfterACrashFindsTheExportRunningWithTheData() throws IOException {
    backend.create("vol-0000000C", 16 * MIB);
    String remoteDev = backend.export("vol-0000000C", "192.0.2.10");
    assertEquals(0, cloud.qemuIo(remoteDev, cloud.nodeClient, "write -P 0x33 0 128k").exitCode());
    long pid = Long.parseLong(Files.readString(root.resolve("run/vol-0000000C.pid")).strip());
    // the daemon is not the JVM's child: a CLC kill -9 does not take it along
    assertNotEquals(ProcessHandle.current().pid(), ProcessHandle.of(pid).orElseThrow().parent().map(ProcessHandle::pid).orElse(-1L));

    NbdBackend restarted = new NbdBackend(cloud.settings(), new CommandRunner());
    assertNull(restarted.problem());
    restarted.start();
    assertEquals(remoteDev, restarted.exportOf("vol-0000000C"));
    assertEquals(remoteDev, restarted.export("vol-0000000C", "192.0.2.10"));
    assertEquals(pid, Long.parseLong(Files.readString(root.resolve("run/vol-0000000C.pid")).strip()), "the same daemon");
    CommandResult read = cloud.qemuIo(remoteDev, cloud.nodeClient, "read -P 0x33 0 128k");
    assertEquals(0, read.exitCode(), read.stdout() + read.stderr());
  }

  @Test
  void aKilledJvmLeavesTheExportServing() throws Exception {
    backend.create("vol-0000000D", 16 * MIB);
    Path settings = root.resolve("settings.properties");
    ExportInAnotherJvm.writeSettings(cloud.settings(), settings);
    Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ExportInAnotherJvm.class.getName(), settings.toString(), "vol-0000000D")
        .redirectErrorStream(true).start();
    String remoteDev;
    try {
      java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
      remoteDev = out.lines().filter(l -> l.startsWith("nbd://")).findFirst()
          .orElseThrow(() -> new AssertionError("the other JVM ended without a remoteDev"));
    } finally {
      jvm.destroyForcibly(); // SIGKILL, as kill -9 of the CLC
      jvm.waitFor();
    }
    assertEquals(remoteDev, backend.exportOf("vol-0000000D"));
    CommandResult io = cloud.qemuIo(remoteDev, cloud.nodeClient, "write -P 0x44 0 64k", "read -P 0x44 0 64k");
    assertEquals(0, io.exitCode(), io.stdout() + io.stderr());
  }

  @Test
  void anExportWhoseDaemonDiedIsClearedAndMadeAgain() throws Exception {
    backend.create("vol-0000000E", 16 * MIB);
    String first = backend.export("vol-0000000E", "192.0.2.10");
    long pid = Long.parseLong(Files.readString(root.resolve("run/vol-0000000E.pid")).strip());
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    waitGone(pid);
    assertNull(backend.exportOf("vol-0000000E"));
    assertFalse(Files.exists(root.resolve("run/vol-0000000E.export")));
    String second = backend.export("vol-0000000E", "192.0.2.10");
    assertEquals(0, cloud.qemuIo(second, cloud.nodeClient, "read -P 0 0 64k").exitCode());
    assertTrue(first.startsWith("nbd://" + cloud.host + ":"));
  }

  @Test
  void anExportWhoseMonitorIsBusyWithAnotherClientIsStillFound() throws Exception {
    backend.create("vol-0000000F", MIB);
    String remoteDev = backend.export("vol-0000000F", "192.0.2.10");
    // another QMP client (as part 2's snapshot job will be) holds the one monitor connection
    try (var other = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      other.connect(java.net.UnixDomainSocketAddress.of(root.resolve("run/vol-0000000F.qmp")));
      other.read(java.nio.ByteBuffer.allocate(4096)); // the greeting: the daemon took this client
      assertEquals(remoteDev, backend.exportOf("vol-0000000F"), "not stopped for a busy monitor");
      assertEquals(0, cloud.qemuIo(remoteDev, cloud.nodeClient, "read -P 0 0 4k").exitCode());
    }
    assertEquals(remoteDev, backend.exportOf("vol-0000000F"));
  }

  @Test
  void twoExportsGetTwoPortsAndUnexportEndsOnlyOne() throws IOException {
    backend.create("vol-00000010", MIB);
    backend.create("vol-00000011", MIB);
    String a = backend.export("vol-00000010", "192.0.2.10");
    String b = backend.export("vol-00000011", "192.0.2.11");
    assertNotEquals(URI.create(a).getPort(), URI.create(b).getPort());
    backend.unexport("vol-00000010");
    assertNull(backend.exportOf("vol-00000010"));
    assertFalse(listening(URI.create(a)));
    assertEquals(b, backend.exportOf("vol-00000011"));
    backend.unexport("vol-00000010"); // not exported: fine
    assertEquals(List.of(new StoredVolume("vol-00000010", MIB), new StoredVolume("vol-00000011", MIB)), backend.list());
  }

  @Test
  void exportsAskedForAtOnceGetAPortEach() throws Exception {
    List<String> ids = List.of("vol-00000020", "vol-00000021", "vol-00000022");
    for (String id : ids) {
      backend.create(id, MIB);
    }
    var pool = java.util.concurrent.Executors.newFixedThreadPool(ids.size());
    try {
      List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
      for (String id : ids) {
        answers.add(pool.submit(() -> backend.export(id, "192.0.2.20")));
      }
      java.util.Set<Integer> ports = new java.util.HashSet<>();
      for (var a : answers) {
        ports.add(URI.create(a.get()).getPort());
      }
      assertEquals(ids.size(), ports.size());
    } finally {
      pool.shutdown();
    }
    for (String id : ids) {
      assertEquals(0, cloud.qemuIo(backend.exportOf(id), cloud.nodeClient, "read -P 0 0 4k").exitCode());
    }
  }

  @Test
  void deleteEndsTheExportAndRemovesTheFile() throws Exception {
    backend.create("vol-00000012", MIB);
    String remoteDev = backend.export("vol-00000012", "192.0.2.10");
    long pid = Long.parseLong(Files.readString(root.resolve("run/vol-00000012.pid")).strip());
    backend.delete("vol-00000012");
    assertFalse(Files.exists(root.resolve("volumes/vol-00000012")));
    waitGone(pid);
    assertFalse(ExportDaemons.isAlive(pid));
    assertFalse(listening(URI.create(remoteDev)));
    try (var files = Files.list(root.resolve("run"))) {
      assertEquals(List.of(), files.toList());
    }
    assertEquals(List.of(), backend.list());
    backend.delete("vol-00000012"); // unknown: fine
    assertThrows(IOException.class, () -> backend.export("vol-00000012", "192.0.2.10"));
  }

  private static boolean listening(URI u) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void waitGone(long pid) throws InterruptedException {
    for (int i = 0; i < 100 && ExportDaemons.isAlive(pid); i++) {
      Thread.sleep(50);
    }
  }
}
