package com.eucalyptus.clc.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.TestDatabases;
import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2QueryServlet;
import com.eucalyptus.clc.auth.QueryAuthenticator;
import com.eucalyptus.clc.persistence.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata servlet over real HTTP: a real Jetty on a free port, mounted next to the real EC2
 * Query servlet as CloudControllerMain does, and requests sent from distinct loopback source
 * addresses (127.0.0.2, 127.0.0.3, ...), each standing for one guest's private address.
 *
 * <p>The servlet is what is tested here: the instances come from a small in-test
 * {@link InstanceMetadataSource} (a map by address), not from the CLC's instance store, whose own
 * tests and the end-to-end guest test cover the rest.
 */
class MetadataServletTest {
  static final String KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 alice-key";
  @TempDir
  Path home;
  Database db;
  Server server;
  int port;
  final Map<String, InstanceMetadata> byAddress = new LinkedHashMap<>();

  static InstanceMetadata instance(String id, String address, String keyName, List<String> keys, byte[] userData,
      String ramdisk) {
    return new InstanceMetadata(id, "r-" + id.substring(2), "emi-12345678",
        "imgs/test.img.manifest.xml", "eki-11111111", ramdisk, List.of(), "m1.small", 0, address, address,
        "192.0.2.10", "192.0.2.10", "cluster1", List.of("default", "web"), keyName, keys,
        Map.of("ami", "vda1", "ephemeral0", "vdb", "swap", "vdc", "root", "/dev/vda1"), userData);
  }

  @BeforeEach
  void start() throws Exception {
    byAddress.put("127.0.0.2", instance("i-0000aaaa", "127.0.0.2", "alice-key", List.of(KEY),
        "#!/bin/sh\necho hello\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1), "eri-22222222"));
    byAddress.put("127.0.0.3", instance("i-0000bbbb", "127.0.0.3", null, List.of(), new byte[0], null));
    db = TestDatabases.fileDatabase(home);
    server = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler("/");
    // as CloudControllerMain: the EC2 Query API at "/*", the metadata service beside it
    context.addServlet(new ServletHolder("ec2", new Ec2QueryServlet(new QueryAuthenticator(new Accounts(db)),
        List.of(), () -> "cloud.example")), "/*");
    MetadataServlet.mount(context, address -> Optional.ofNullable(byAddress.get(address)));
    server.setHandler(context);
    server.start();
    port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
    db.close();
  }

  record Reply(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** One HTTP/1.0 request from {@code source} (a loopback address), as a guest's curl would send it. */
  Reply request(String source, String method, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(source, 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write((method + " " + path + " HTTP/1.0\r\nHost: 169.254.169.254\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] all = in.readAllBytes();
      int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String[] head = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < head.length; i++) {
        int colon = head[i].indexOf(':');
        headers.put(head[i].substring(0, colon).trim().toLowerCase(), head[i].substring(colon + 1).trim());
      }
      return new Reply(Integer.parseInt(head[0].split(" ")[1]), headers, Arrays.copyOfRange(all, end + 4, all.length));
    }
  }

  Reply get(String source, String path) throws IOException {
    return request(source, "GET", path);
  }

  static int indexOf(byte[] a, byte[] b) {
    outer:
    for (int i = 0; i + b.length <= a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        if (a[i + j] != b[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("no end of headers in the reply");
  }

  @Test
  void listsTheVersionRootAndTheMetaDataKeys() throws Exception {
    Reply root = get("127.0.0.2", "/latest/");
    assertEquals(200, root.status());
    assertEquals("meta-data/\nuser-data", root.text());
    assertTrue(root.headers().get("content-type").startsWith("text/plain"));

    Reply keys = get("127.0.0.2", "/latest/meta-data/");
    assertEquals(200, keys.status());
    assertEquals(String.join("\n", "ami-id", "ami-launch-index", "ami-manifest-path", "ancestor-ami-ids",
        "block-device-mapping/", "hostname", "instance-id", "instance-type", "kernel-id", "local-hostname",
        "local-ipv4", "placement/", "product-codes", "public-hostname", "public-ipv4", "public-keys/",
        "ramdisk-id", "reservation-id", "security-groups"), keys.text());
    assertEquals(keys.text(), get("127.0.0.2", "/latest/meta-data").text(), "without the trailing slash too");
  }

  @Test
  void answersEachKeyAsPlainText() throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("ami-id", "emi-12345678");
    expected.put("ami-launch-index", "0");
    expected.put("ami-manifest-path", "imgs/test.img.manifest.xml");
    expected.put("ancestor-ami-ids", "");
    expected.put("product-codes", "");
    expected.put("hostname", "192.0.2.10");
    expected.put("public-hostname", "192.0.2.10");
    expected.put("public-ipv4", "192.0.2.10");
    expected.put("local-hostname", "127.0.0.2");
    expected.put("local-ipv4", "127.0.0.2");
    expected.put("instance-id", "i-0000aaaa");
    expected.put("instance-type", "m1.small");
    expected.put("reservation-id", "r-0000aaaa");
    expected.put("kernel-id", "eki-11111111");
    expected.put("ramdisk-id", "eri-22222222");
    expected.put("security-groups", "default\nweb");
    expected.put("placement/", "availability-zone");
    expected.put("placement/availability-zone", "cluster1");
    expected.put("block-device-mapping/", "ami\nemi\nephemeral0\nroot\nswap");
    expected.put("block-device-mapping/ami", "vda1");
    expected.put("block-device-mapping/emi", "vda1");
    expected.put("block-device-mapping/ephemeral0", "vdb");
    expected.put("block-device-mapping/swap", "vdc");
    expected.put("block-device-mapping/root", "/dev/vda1");
    expected.put("public-keys/", "0=alice-key");
    expected.put("public-keys/0/", "openssh-key");
    expected.put("public-keys/0", "openssh-key");
    expected.put("public-keys/0/openssh-key", KEY);
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Reply r = get("127.0.0.2", "/latest/meta-data/" + e.getKey());
      assertEquals(200, r.status(), e.getKey());
      assertEquals(e.getValue(), r.text(), e.getKey());
      assertTrue(r.headers().get("content-type").startsWith("text/plain"), e.getKey());
      assertEquals(String.valueOf(r.body().length), r.headers().get("content-length"), e.getKey());
    }
  }

  @Test
  void userDataIsTheRawBytes() throws Exception {
    Reply r = get("127.0.0.2", "/latest/user-data");
    assertEquals(200, r.status());
    assertEquals("application/octet-stream", r.headers().get("content-type"));
    byte[] expected = "#!/bin/sh\necho hello\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(Arrays.toString(expected), Arrays.toString(r.body()));
  }

  @Test
  void anInstanceWithoutKeyRamdiskOrUserDataHasNoSuchKeys() throws Exception {
    String keys = get("127.0.0.3", "/latest/meta-data/").text();
    assertFalse(keys.contains("public-keys"), keys);
    assertFalse(keys.contains("ramdisk-id"), keys);
    assertEquals(404, get("127.0.0.3", "/latest/meta-data/public-keys/").status());
    assertEquals(404, get("127.0.0.3", "/latest/meta-data/public-keys/0/openssh-key").status());
    assertEquals(404, get("127.0.0.3", "/latest/meta-data/ramdisk-id").status());
    assertEquals(404, get("127.0.0.3", "/latest/user-data").status());
    assertEquals("meta-data/", get("127.0.0.3", "/latest/").text());
  }

  @Test
  void eachInstanceSeesOnlyItself() throws Exception {
    assertEquals("i-0000aaaa", get("127.0.0.2", "/latest/meta-data/instance-id").text());
    assertEquals("i-0000bbbb", get("127.0.0.3", "/latest/meta-data/instance-id").text());
    for (String path : List.of("/latest/", "/latest/meta-data/", "/latest/meta-data/instance-id", "/latest/user-data",
        "/latest/meta-data/public-keys/0/openssh-key", "/2009-04-04/meta-data/instance-id")) {
      Reply r = get("127.0.0.4", path);
      assertEquals(404, r.status(), path);
      assertFalse(r.text().contains("i-0000"), path);
    }
  }

  @Test
  void aSourceTheStoreMapsToAnotherInstanceGetsNothing() throws Exception {
    // a store that answered with the wrong instance must not leak it
    byAddress.put("127.0.0.5", byAddress.get("127.0.0.2"));
    assertEquals(404, get("127.0.0.5", "/latest/meta-data/instance-id").status());
  }

  @Test
  void unknownKeysAndBadPathsAre404() throws Exception {
    for (String path : List.of("/latest/meta-data/no-such-key", "/latest/meta-data/ami-id/",
        "/latest/meta-data/placement/nowhere", "/latest/meta-data/public-keys/1/",
        "/latest/user-data/x", "/latest/dynamic/")) {
      assertEquals(404, get("127.0.0.2", path).status(), path);
    }
    // an empty segment: Jetty's default URI rules refuse it (400); under the CLC's relaxed rules
    // (set for Walrus keys) it reaches the servlet, which finds nothing there (404)
    Reply empty = get("127.0.0.2", "/latest/meta-data//ami-id");
    assertTrue(empty.status() == 400 || empty.status() == 404, "status " + empty.status());
    assertFalse(empty.text().contains("emi-12345678"));
  }

  @Test
  void datedVersionsAnswerAsLatest() throws Exception {
    for (String version : MetadataServlet.VERSIONS) {
      assertEquals("i-0000aaaa", get("127.0.0.2", "/" + version + "/meta-data/instance-id").text(), version);
    }
    assertEquals(get("127.0.0.2", "/latest/meta-data/").text(), get("127.0.0.2", "/2009-04-04/meta-data/").text());
  }

  @Test
  void onlyGetAndHead() throws Exception {
    Reply head = request("127.0.0.2", "HEAD", "/latest/meta-data/instance-id");
    assertEquals(200, head.status());
    assertEquals("10", head.headers().get("content-length"));
    assertEquals(0, head.body().length);
    for (String method : List.of("POST", "PUT", "DELETE")) {
      Reply r = request("127.0.0.2", method, "/latest/meta-data/instance-id");
      assertEquals(405, r.status(), method);
      assertEquals("GET, HEAD", r.headers().get("allow"), method);
      assertFalse(r.text().contains("i-0000"), method);
    }
  }

  @Test
  void everythingElseStillReachesTheEc2Api() throws Exception {
    Reply r = get("127.0.0.2", "/services/Eucalyptus?Action=DescribeInstances&Version=2009-04-04");
    assertTrue(r.text().contains("<Errors>") && r.text().contains("<Code>"), r.text());
    assertFalse(r.text().contains("i-0000"), r.text());
    // a path that only starts like a metadata version is not the metadata service's
    assertFalse(get("127.0.0.2", "/latestx/meta-data/instance-id").text().contains("i-0000aaaa"));
  }
}
