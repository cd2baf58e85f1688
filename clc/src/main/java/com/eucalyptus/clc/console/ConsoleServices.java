package com.eucalyptus.clc.console;

import com.eucalyptus.clc.accounts.AccountLifecycle;
import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.accounts.CredentialsZip;
import com.eucalyptus.clc.cluster.Clusters;
import com.eucalyptus.clc.console.web.Exchange;
import com.eucalyptus.clc.console.web.LoginThrottle;
import com.eucalyptus.clc.console.web.Sessions;
import com.eucalyptus.clc.images.Images;
import com.eucalyptus.clc.properties.SystemProperties;
import java.net.URI;

/** What the console's pages work with: the CLC's services and the ports it is reached on. */
public record ConsoleServices(AccountLifecycle lifecycle, Accounts accounts, SystemProperties properties,
    CredentialsZip credentials, Images images, Clusters clusters, Sessions sessions, LoginThrottle throttle, int sslPort,
    int cloudPort) {

  /** https://host:sslPort for mailed links: the host of cloud.url, else the one the browser used. */
  public String consoleBase(Exchange x) {
    return "https://" + cloudHost(x) + ":" + sslPort;
  }

  /** http://host:8773 for eucarc: cloud.url, else the host the browser used. */
  public String cloudBase(Exchange x) {
    String url = properties.get(SystemProperties.CLOUD_URL);
    return url.isBlank() ? "http://" + requestHost(x) + ":" + cloudPort : url.replaceAll("/+$", "");
  }

  private String cloudHost(Exchange x) {
    String url = properties.get(SystemProperties.CLOUD_URL);
    if (!url.isBlank()) {
      try {
        String host = URI.create(url.strip()).getHost();
        if (host != null) {
          return host;
        }
      } catch (IllegalArgumentException e) {
        // fall back to the request's host
      }
    }
    return requestHost(x);
  }

  private static String requestHost(Exchange x) {
    String h = x.req.getServerName();
    return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
  }
}
