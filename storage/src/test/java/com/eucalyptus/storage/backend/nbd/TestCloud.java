package com.eucalyptus.storage.backend.nbd;

import com.eucalyptus.runtime.crypto.CertificateAuthority;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.runtime.exec.CommandResult;
import com.eucalyptus.runtime.exec.CommandRunner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A cloud's keys as the CLC makes them (CloudKeys: the cloud CA, node-cert.pem/node-pk.pem; a
 * user's certificate as the credentials zip has it), plus a certificate from another CA, and
 * qemu-io as the NBD client each of them would be. The storage host's address and ports are
 * picked here, never constants of the code under test.
 */
final class TestCloud {
  private static final String ORG = ", OU=Eucalyptus, O=Cloud, L=Santa Barbara, ST=CA, C=US";

  final Path root;
  final Path keys;
  final String host;
  final int firstPort;
  final int lastPort;
  final Path nodeClient;
  final Path userClient;
  final Path foreignClient;
  private final CommandRunner runner = new CommandRunner();

  TestCloud(Path root) throws IOException {
    this.root = root;
    this.keys = Files.createDirectories(root.resolve("keys"));
    CertificateAuthority.Issued cloud = CertificateAuthority.newSelfSigned("CN=www.eucalyptus.com" + ORG);
    Pem.writeCertificate(keys.resolve("cloud-cert.pem"), cloud.certificate());
    Pem.writePrivateKey(keys.resolve("cloud-pk.pem"), cloud.keyPair().getPrivate());
    CertificateAuthority ca = new CertificateAuthority(cloud.certificate(), cloud.keyPair().getPrivate());
    CertificateAuthority.Issued node = ca.issue("CN=node" + ORG);
    Pem.writeCertificate(keys.resolve("node-cert.pem"), node.certificate());
    Pem.writePrivateKey(keys.resolve("node-pk.pem"), node.keyPair().getPrivate());
    nodeClient = clientDir("node-client", cloud.certificate(), node);
    // a user's certificate from the credentials zip: the same CA (CredentialsZip's subject form)
    userClient = clientDir("user-client", cloud.certificate(),
        ca.issue("CN=www.eucalyptus.com, OU=Eucalyptus, O=bob, L=Santa Barbara, ST=CA, C=US"));
    // another cloud's node: a CA of its own (named apart from ours, so the client's trust file can
    // hold both), the same subject as our node's
    CertificateAuthority.Issued otherCa = CertificateAuthority.newSelfSigned("CN=another.cloud" + ORG);
    CertificateAuthority.Issued otherNode = new CertificateAuthority(otherCa.certificate(), otherCa.keyPair().getPrivate())
        .issue("CN=node" + ORG);
    foreignClient = clientDir("foreign-client", cloud.certificate(), otherNode);
    // it trusts our server (so the refusal is the server's), and QEMU checks a client's own
    // certificate against the same file before connecting, so its CA is there too
    Files.writeString(foreignClient.resolve("ca-cert.pem"), Pem.toPem(cloud.certificate()) + Pem.toPem(otherCa.certificate()));
    ThreadLocalRandom r = ThreadLocalRandom.current();
    host = "127." + r.nextInt(1, 255) + "." + r.nextInt(1, 255) + "." + r.nextInt(2, 255);
    int first = 0;
    for (int attempt = 0; attempt < 50 && first == 0; attempt++) {
      int base = r.nextInt(20000, 40000);
      if (free(base, base + 9)) {
        first = base;
      }
    }
    if (first == 0) {
      throw new IllegalStateException("no 10 free ports found on " + host);
    }
    firstPort = first;
    lastPort = first + 9;
  }

  NbdBackend.Settings settings() {
    return new NbdBackend.Settings(root.resolve("volumes"), keys, keys.resolve("nbd-tls"), root.resolve("run"), host,
        firstPort, lastPort, "qemu-storage-daemon");
  }

  private boolean free(int first, int last) {
    for (int p = first; p <= last; p++) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(host, p));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** A TLS client folder as QEMU reads it: ca-cert.pem, client-cert.pem, client-key.pem. */
  private Path clientDir(String name, java.security.cert.X509Certificate trusted, CertificateAuthority.Issued who)
      throws IOException {
    Path d = Files.createDirectories(root.resolve(name));
    Pem.writeCertificate(d.resolve("ca-cert.pem"), trusted);
    Pem.writeCertificate(d.resolve("client-cert.pem"), who.certificate());
    Pem.writePrivateKey(d.resolve("client-key.pem"), who.keyPair().getPrivate());
    return d;
  }

  /**
   * qemu-io against {@code remoteDev} (nbd://host:port/export) running {@code commands}, with
   * the TLS client folder {@code tlsDir}, or without TLS when it is null.
   */
  CommandResult qemuIo(String remoteDev, Path tlsDir, String... commands) {
    URI u = URI.create(remoteDev);
    String export = u.getPath().substring(1);
    List<String> cmd = new ArrayList<>(List.of("qemu-io"));
    String opts = "driver=nbd,server.type=inet,server.host=" + u.getHost() + ",server.port=" + u.getPort() + ",export=" + export;
    if (tlsDir != null) {
      cmd.addAll(List.of("--object", "tls-creds-x509,id=tls0,endpoint=client,dir=" + tlsDir));
      opts += ",tls-creds=tls0";
    }
    cmd.addAll(List.of("--image-opts", opts));
    for (String c : commands) {
      cmd.add("-c");
      cmd.add(c);
    }
    return runner.run(cmd);
  }
}
