package com.eucalyptus.walrus.http;

import com.eucalyptus.walrus.S3Exception;
import com.eucalyptus.walrus.auth.PayloadVerificationException;
import com.eucalyptus.walrus.auth.S3Authenticator;
import com.eucalyptus.walrus.auth.S3RequestTarget;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Walrus's entry point in the CLC's Jetty: takes the requests {@link S3Router} says are Walrus's,
 * authenticates them, runs the operation and answers S3 errors as XML; passes every other request
 * on down the chain (to the EC2 Query API).
 */
public final class WalrusFilter implements Filter {
  private static final Logger LOG = LogManager.getLogger(WalrusFilter.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private final S3Router router;
  private final S3Authenticator authenticator;
  private final S3Dispatcher dispatcher;
  private final PostHandler post;

  /**
   * 1.5.2's internal operations (a request with an {@code EucaOperation} header: the NCs' image
   * service, or {@code Authorization: Euca}: the NC reading a manifest) authenticate themselves
   * with the node certificate, not an S3 signature.
   */
  public interface InternalOperations {
    void handle(S3Call call) throws S3Exception, IOException;
  }

  private volatile InternalOperations internal;

  public void internalOperations(InternalOperations internal) {
    this.internal = internal;
  }

  /** Browser POST form uploads are authenticated by their policy, not by a request signature. */
  public interface PostHandler {
    void upload(S3Call call) throws S3Exception, IOException;
  }

  public WalrusFilter(S3Router router, S3Authenticator authenticator, S3Dispatcher dispatcher, PostHandler post) {
    this.router = router;
    this.authenticator = authenticator;
    this.dispatcher = dispatcher;
    this.post = post;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest req = withOriginalPath((HttpServletRequest) request);
    HttpServletResponse resp = (HttpServletResponse) response;
    String requestId = HexFormat.of().withUpperCase().formatHex(randomBytes());
    Optional<S3RequestTarget> target;
    try {
      target = router.route(req.getHeader("Host"), req.getRequestURI());
    } catch (S3Exception e) {
      error(req, resp, requestId, e);
      return;
    }
    if (target.isEmpty()) {
      chain.doFilter(request, response);
      return;
    }
    resp.setHeader("x-amz-request-id", requestId);
    resp.setHeader("x-amz-id-2", requestId);
    resp.setHeader("Server", "Walrus");
    S3Call call = null;
    try {
      call = new S3Call(req, resp, target.get(), requestId);
      if (isPostForm(req, target.get())) {
        post.upload(call);
      } else if (req.getHeader("EucaOperation") != null || "Euca".equals(String.valueOf(req.getHeader("Authorization")).trim())) {
        if (internal == null) {
          throw new S3Exception(501, "NotImplemented", "internal operations are not served here");
        }
        internal.handle(call);
      } else {
        call.authenticated(authenticator.authenticate(req, target.get()));
        dispatcher.dispatch(call);
      }
    } catch (S3Exception e) {
      error(req, resp, requestId, e);
    } catch (PayloadVerificationException e) {
      error(req, resp, requestId, e.error());
    } catch (IOException e) {
      // the client went away mid-request (or the disk failed): nothing was committed
      LOG.info("walrus {} {}: {} ({})", req.getMethod(), req.getRequestURI(), e.getClass().getSimpleName(), e.getMessage());
      if (!resp.isCommitted()) {
        error(req, resp, requestId, new S3Exception(400, "IncompleteBody", "The request body ended early: " + e.getMessage()));
      }
    } catch (RuntimeException e) {
      LOG.error("walrus {} {} failed", req.getMethod(), req.getRequestURI(), e);
      error(req, resp, requestId, new S3Exception(500, "InternalError", "We encountered an internal error. Please try again."));
    }
  }

  /** The request as the client sent it, if its path came through in RawPathConnectionFactory's marker form. */
  static HttpServletRequest withOriginalPath(HttpServletRequest req) {
    String original = RawPathConnectionFactory.originalPath(req.getRequestURI());
    if (original == null || original.equals(req.getRequestURI())) {
      return req;
    }
    return new HttpServletRequestWrapper(req) {
      @Override
      public String getRequestURI() {
        return original;
      }

      @Override
      public StringBuffer getRequestURL() {
        StringBuffer url = new StringBuffer(req.getScheme()).append("://").append(req.getServerName());
        return url.append(':').append(req.getServerPort()).append(original);
      }
    };
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return b;
  }

  private static boolean isPostForm(HttpServletRequest req, S3RequestTarget target) {
    String type = req.getContentType();
    return req.getMethod().equals("POST") && target.bucket() != null && target.key() == null && type != null
        && type.toLowerCase().startsWith("multipart/form-data") && req.getHeader("Authorization") == null;
  }

  private static boolean bodyLeftUnread(HttpServletRequest req) {
    if (req.getContentLengthLong() <= 0 && req.getHeader("Transfer-Encoding") == null) {
      return false;
    }
    try {
      return !req.getInputStream().isFinished();
    } catch (IllegalStateException | IOException e) {
      return true;
    }
  }

  /** How much of an unread body is read and dropped before an early refusal (Tomcat's maxSwallowSize). */
  static final long SWALLOW_LIMIT = 2L * 1024 * 1024;

  /**
   * Reads and drops what is left of a small request body: closing a connection whose unread bytes
   * are still in the kernel's buffer makes it send a reset, which can destroy the refusal before
   * the client reads it ("header parser received no bytes"). Larger bodies are left: the client
   * may then see a reset instead of the answer, as with S3.
   */
  private static void swallowRest(HttpServletRequest req) {
    long length = req.getContentLengthLong();
    if (length > SWALLOW_LIMIT) {
      return;
    }
    byte[] buf = new byte[16384];
    long read = 0;
    try {
      var in = req.getInputStream();
      for (int n; read <= SWALLOW_LIMIT && (n = in.read(buf)) >= 0; ) {
        read += n;
      }
    } catch (IOException | IllegalStateException e) {
      // the client went away, or the body was taken as a reader: nothing more to do
    }
  }

  static void error(HttpServletRequest req, HttpServletResponse resp, String requestId, S3Exception e) throws IOException {
    if (resp.isCommitted()) {
      LOG.info("walrus {} {}: {} after the answer began", req.getMethod(), req.getRequestURI(), e.code());
      return;
    }
    if (e.status() >= 500) {
      LOG.warn("walrus {} {}: {} {}", req.getMethod(), req.getRequestURI(), e.code(), e.getMessage());
    } else {
      LOG.debug("walrus {} {}: {} {}", req.getMethod(), req.getRequestURI(), e.code(), e.getMessage());
    }
    resp.reset();
    resp.setHeader("x-amz-request-id", requestId);
    resp.setHeader("x-amz-id-2", requestId);
    resp.setHeader("Server", "Walrus");
    resp.setStatus(e.status());
    if (bodyLeftUnread(req)) {
      // the refusal came before the body was read: say the connection ends here, or a client
      // that reuses it would find it closed under its next request (Jetty cannot drain a large body)
      resp.setHeader("Connection", "close");
      swallowRest(req);
    }
    if (e.status() == 416) {
      resp.setHeader("Content-Range", "bytes */*");
    }
    String xml = XmlOut.plain("Error").leaf("Code", e.code()).leaf("Message", e.getMessage())
        .leaf("Resource", req.getRequestURI()).leaf("RequestId", requestId).end("Error");
    byte[] b = xml.getBytes(StandardCharsets.UTF_8);
    resp.setHeader("Content-Type", "application/xml");
    if (req.getMethod().equals("HEAD")) {
      resp.setContentLengthLong(0);
      return;
    }
    resp.setContentLengthLong(b.length);
    try (OutputStream out = resp.getOutputStream()) {
      out.write(b);
    }
  }
}
