package com.eucalyptus.clc.metadata;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The instance metadata service on the CLC's port (8773): {@code /latest/meta-data/...} and
 * {@code /latest/user-data}, for the instance whose private address is the request's source
 * address (guests reach it through a DNAT of 169.254.169.254:80, which keeps the source). No
 * authentication, as in EC2 and 1.5.2: the source address is the only key, so a request from an
 * address no instance has gets 404 and never another instance's data.
 *
 * <p>The dated versions of EC2's metadata service of 2009 ({@link #VERSIONS}) answer the same as
 * {@code latest}: 1.5.2 matched them but rewrote only {@code /latest/}
 * (shared/reference/eucalyptus-1.5-internals.md, open items); EC2 answered them all.
 */
public final class MetadataServlet extends HttpServlet {
  private static final Logger LOG = LogManager.getLogger(MetadataServlet.class);
  /** The versions EC2's metadata service knew in 2009, besides "latest". */
  public static final List<String> VERSIONS = List.of("1.0", "2007-01-19", "2007-03-01", "2007-08-29", "2007-10-10",
      "2007-12-15", "2008-02-01", "2008-09-01", "2009-04-04");
  private static final byte[] NOT_FOUND = "404 - Not Found\n".getBytes(StandardCharsets.US_ASCII);
  private final InstanceMetadataSource instances;

  public MetadataServlet(InstanceMetadataSource instances) {
    this.instances = instances;
  }

  /**
   * Mounts the service at {@code /latest/*} and the dated versions' paths of {@code context}.
   * These prefix mappings win over the EC2 servlet's {@code /*}, which keeps everything else.
   */
  public static void mount(ServletContextHandler context, InstanceMetadataSource instances) {
    ServletHolder holder = new ServletHolder("metadata", new MetadataServlet(instances));
    context.getServletHandler().addServletWithMapping(holder, "/latest/*");
    for (String version : VERSIONS) {
      context.getServletHandler().addServletWithMapping(holder, "/" + version + "/*");
    }
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    boolean head = req.getMethod().equals("HEAD");
    if (!head && !req.getMethod().equals("GET")) {
      resp.setHeader("Allow", "GET, HEAD");
      send(resp, 405, new MetadataTree.Answer("405 - Method Not Allowed\n".getBytes(StandardCharsets.US_ASCII),
          "text/plain"), false);
      return;
    }
    String source = sourceAddress(req);
    String path = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1); // after "/latest/"
    Optional<InstanceMetadata> instance = instances.forPrivateAddress(source)
        // the store answers by address; checking again costs nothing and keeps a store bug from
        // handing one instance another's data
        .filter(m -> source.equals(m.localIpv4()));
    if (instance.isEmpty()) {
      LOG.debug("metadata: no instance has address {} ({})", source, req.getRequestURI());
      send(resp, 404, null, head);
      return;
    }
    Optional<MetadataTree.Answer> answer = new MetadataTree(instance.get()).lookup(path);
    LOG.debug("metadata: {} from {} asked {} -> {}", instance.get().instanceId(), source, req.getRequestURI(),
        answer.isPresent() ? 200 : 404);
    send(resp, answer.isPresent() ? 200 : 404, answer.orElse(null), head);
  }

  /** The request's source, an IPv4-mapped IPv6 address written as the IPv4 address it is. */
  static String sourceAddress(HttpServletRequest req) {
    String a = req.getRemoteAddr();
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    String lower = a.toLowerCase();
    if (lower.startsWith("::ffff:") && lower.indexOf('.') > 0) {
      return a.substring("::ffff:".length());
    }
    return a;
  }

  private static void send(HttpServletResponse resp, int status, MetadataTree.Answer answer, boolean head)
      throws IOException {
    byte[] body = answer == null ? NOT_FOUND : answer.body();
    resp.setStatus(status);
    resp.setContentType(answer == null ? "text/plain" : answer.contentType());
    resp.setContentLength(body.length);
    if (!head) {
      resp.getOutputStream().write(body);
    }
  }
}
