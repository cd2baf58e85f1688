package com.eucalyptus.walrus;

import com.eucalyptus.walrus.acl.AclXml;
import com.eucalyptus.walrus.auth.S3Authenticator;
import com.eucalyptus.walrus.auth.WalrusUsers;
import com.eucalyptus.walrus.http.S3Dispatcher;
import com.eucalyptus.walrus.http.S3Router;
import com.eucalyptus.walrus.http.WalrusFilter;
import com.eucalyptus.walrus.imagecache.ImageService;
import com.eucalyptus.walrus.images.BundleObjects;
import com.eucalyptus.walrus.metadata.Metadata;
import com.eucalyptus.walrus.metadata.Transactions;
import com.eucalyptus.walrus.multipart.MultipartOps;
import com.eucalyptus.walrus.ops.BucketOps;
import com.eucalyptus.walrus.ops.DeleteObjectsOp;
import com.eucalyptus.walrus.ops.ListOps;
import com.eucalyptus.walrus.ops.ObjectCommit;
import com.eucalyptus.walrus.ops.ObjectOps;
import com.eucalyptus.walrus.ops.OpsContext;
import com.eucalyptus.walrus.post.PostUploadOp;
import com.eucalyptus.walrus.storage.ObjectFiles;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import com.eucalyptus.walrus.http.RawPathConnectionFactory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Walrus, the S3-compatible store, as the CLC embeds it: give it the cloud's settings, a
 * transaction runner over the CLC database (whose entity list includes {@link #ENTITIES}), the
 * users and an authenticator, then {@link #mount} it in the CLC's Jetty. A cleanup pass runs at
 * construction (see {@link #cleanup}).
 */
public final class Walrus {
  private static final Logger LOG = LogManager.getLogger(Walrus.class);
  /** The Hibernate entities the CLC's Database must register. */
  public static final List<Class<?>> ENTITIES = Metadata.ENTITIES;
  private final Metadata meta;
  private final ObjectFiles files;
  private final WalrusFilter filter;
  private final BundleObjects bundles;

  public Walrus(WalrusSettings settings, Transactions transactions, WalrusUsers users, S3Authenticator authenticator)
      throws IOException {
    this.meta = new Metadata(transactions);
    this.files = new ObjectFiles(settings.storageRoot());
    this.bundles = new BundleObjects(meta, files);
    OpsContext ctx = new OpsContext(meta, files, users, new AclXml(users), settings);
    BucketOps buckets = new BucketOps(ctx);
    ObjectCommit committer = new ObjectCommit(ctx);
    ObjectOps objects = new ObjectOps(ctx, buckets, committer);
    S3Dispatcher dispatcher = new S3Dispatcher(buckets, new ListOps(ctx, buckets), objects,
        new DeleteObjectsOp(ctx, buckets, objects), new MultipartOps(ctx, buckets, objects, committer));
    this.filter = new WalrusFilter(new S3Router(settings.dnsDomain()), authenticator, dispatcher,
        new PostUploadOp(ctx, buckets, committer, authenticator));
    cleanup();
    LOG.info("objects under {}", settings.storageRoot());
  }

  /** Image bundles as stored here, read in-process (RegisterImage, the image cache). */
  public BundleObjects bundles() {
    return bundles;
  }

  /** Serves the NCs' image operations (EucaOperation requests) with {@code images}. */
  public void serveImages(ImageService images) {
    filter.internalOperations(images::handle);
  }

  /**
   * Adds Walrus in front of whatever the context serves (requests that are not Walrus's go on to
   * it) and lets the server's connectors pass S3 keys and headers through unchanged: keys may
   * hold "..", "%2F", "//" and other things Jetty's default URI rules refuse or rewrite, and
   * header values must stay byte for byte what the client signed.
   */
  public void mount(Server server, ServletContextHandler context) {
    for (Connector c : server.getConnectors()) {
      HttpConnectionFactory f = c.getConnectionFactory(HttpConnectionFactory.class);
      if (f != null && c instanceof ServerConnector sc && !(f instanceof RawPathConnectionFactory)) {
        // keys like "../../x" climb above "/": Jetty would refuse the request line itself
        sc.removeConnectionFactory(f.getProtocol());
        f = new RawPathConnectionFactory(f.getHttpConfiguration());
        sc.addConnectionFactory(f);
        sc.setDefaultProtocol(f.getProtocol());
      }
      if (f != null) {
        HttpConfiguration hc = f.getHttpConfiguration();
        hc.setUriCompliance(UriCompliance.UNSAFE);
        // Jetty's header cache would hand "text/plain; charset=UTF-8" over as "...utf-8": the
        // signature checks need the bytes the client signed, and S3 keeps Content-Type as sent
        hc.setHeaderCacheCaseSensitive(true);
      }
    }
    context.getServletHandler().setDecodeAmbiguousURIs(true);
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
  }

  /**
   * Deletes temp files and object files no metadata row references: what a write cut off by a
   * crash or kill -9 left behind. Safe while requests run.
   *
   * @return how many files were deleted
   */
  public int cleanup() throws IOException {
    return files.cleanup(() -> {
      try {
        return meta.tx(Metadata::referencedFiles);
      } catch (S3Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
