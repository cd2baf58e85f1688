package com.eucalyptus.clc.api;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.auth.QueryAuthenticator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The EC2 Query API at /services/Eucalyptus (and at / when the Host is ec2.&lt;cloud domain&gt;,
 * for SDKs that drop an endpoint's path): authenticate, dispatch to the action, answer in the
 * namespace of the request's Version, errors in EC2's XML form.
 */
public final class Ec2QueryServlet extends HttpServlet {
  private static final Logger LOG = LogManager.getLogger(Ec2QueryServlet.class);
  /** The version 1.5.2 defaulted to; the oldest accepted is 2008-12-01. */
  static final String DEFAULT_VERSION = "2009-04-04";
  static final String OLDEST_VERSION = "2008-12-01";
  /** A Query request is parameters only (user data is at most 16 KB): anything bigger is refused unread. */
  static final int MAX_BODY_BYTES = 1 << 20;
  private final QueryAuthenticator auth;
  private final Map<String, Ec2Action> actions = new HashMap<>();
  private final Supplier<String> dnsDomain;

  public Ec2QueryServlet(QueryAuthenticator auth, List<Ec2Action> actions, Supplier<String> dnsDomain) {
    this.auth = auth;
    actions.forEach(a -> this.actions.put(a.name(), a));
    this.dnsDomain = dnsDomain;
  }

  /** Whether a request for {@code path} with this Host is an EC2 Query request. */
  public boolean serves(String path, String host) {
    if (path.equals("/services/Eucalyptus") || path.equals("/services/Eucalyptus/")) {
      return true;
    }
    String bare = host == null ? "" : host.replaceAll(":\\d+$", "").toLowerCase();
    return path.equals("/") && bare.equals("ec2." + dnsDomain.get());
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String requestId = UUID.randomUUID().toString();
    if (!serves(req.getRequestURI(), req.getHeader("Host"))) {
      resp.sendError(404);
      return;
    }
    if (!req.getMethod().equals("GET") && !req.getMethod().equals("POST")) {
      error(resp, requestId, new Ec2Exception(405, "UnsupportedOperation", "use GET or POST"));
      return;
    }
    Map<String, String> headers = new HashMap<>();
    for (String h : Collections.list(req.getHeaderNames())) {
      headers.put(h.toLowerCase(), req.getHeader(h));
    }
    byte[] body = req.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      error(resp, requestId, new Ec2Exception(400, "InvalidParameterValue", "the request body is larger than 1 MB"));
      return;
    }
    QueryRequest q = QueryRequest.of(req.getMethod(), req.getHeader("Host"), req.getRequestURI(), req.getQueryString(), body,
        req.getContentType(), headers);
    String action = q.param("Action");
    try {
      Accounts.User user = auth.authenticate(q);
      if (action == null || action.isEmpty()) {
        throw new Ec2Exception(400, "MissingAction", "The request must contain the parameter Action");
      }
      Ec2Action handler = actions.get(action);
      if (handler == null) {
        throw new Ec2Exception(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
      }
      if (handler.adminOnly() && !user.admin()) {
        throw Ec2Exception.unauthorized(action);
      }
      String version = version(q.param("Version"));
      Xml out = new Xml();
      handler.handle(q, user, out);
      String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"http://ec2.amazonaws.com/doc/"
          + version + "/\"><requestId>" + requestId + "</requestId>" + out + "</" + action + "Response>";
      resp.setStatus(200);
      resp.setContentType("text/xml;charset=UTF-8");
      resp.getOutputStream().write(xml.getBytes(StandardCharsets.UTF_8));
      LOG.debug("{} by {}: 200", action, user.name());
    } catch (Ec2Exception e) {
      LOG.info("{} refused: {} {}", action, e.code(), e.getMessage());
      error(resp, requestId, e);
    } catch (Exception e) {
      LOG.error("{} failed", action, e);
      error(resp, requestId, new Ec2Exception(500, "InternalError", "An internal error has occurred"));
    }
  }

  static String version(String requested) {
    if (requested == null || requested.isEmpty()) {
      return DEFAULT_VERSION;
    }
    if (!requested.matches("\\d{4}-\\d{2}-\\d{2}") || requested.compareTo(OLDEST_VERSION) < 0) {
      throw Ec2Exception.invalidParameter("API version " + requested + " is not supported (2008-12-01 or later)");
    }
    return requested;
  }

  private static void error(HttpServletResponse resp, String requestId, Ec2Exception e) throws IOException {
    Xml x = new Xml();
    x.open("Response").open("Errors").open("Error").leaf("Code", e.code()).leaf("Message", e.getMessage()).close("Error")
        .close("Errors").leaf("RequestID", requestId).close("Response");
    resp.setStatus(e.status());
    resp.setContentType("text/xml;charset=UTF-8");
    resp.getOutputStream().write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + x).getBytes(StandardCharsets.UTF_8));
  }
}
