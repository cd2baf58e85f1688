package com.eucalyptus.clc.console.pages;

import com.eucalyptus.clc.console.web.Exchange;
import com.eucalyptus.clc.console.web.Routes;
import com.eucalyptus.clc.console.web.Routes.Access;
import java.io.IOException;

/** The Extras tab (new in 1.5.2): links to pre-packaged images and to client tools. */
public final class ExtrasPage {
  public void register(Routes r) {
    r.get("/extras", Access.USER, this::page);
  }

  private void page(Exchange x) throws IOException {
    String body = "<h2>Pre-packaged images</h2><ul id=\"extras-images\">"
        + "<li><a href=\"https://www.eucalyptus.com/eucalyptus-cloud/images\">Eucalyptus-certified images</a>"
        + " (kernel, ramdisk and root file system, ready to bundle, upload and register)</li>"
        + "<li><a href=\"https://cloud.debian.org/images/cloud/\">Debian cloud images</a></li></ul>"
        + "<h2>Client tools</h2><ul id=\"extras-tools\">"
        + "<li><a href=\"https://github.com/eucalyptus/euca2ools\">euca2ools</a>, the Eucalyptus command-line tools</li>"
        + "<li><a href=\"https://aws.amazon.com/developertools/351\">Amazon EC2 API tools</a></li>"
        + "<li><a href=\"https://aws.amazon.com/cli/\">AWS CLI</a> and <a href=\"https://github.com/boto/boto\">boto</a>"
        + " (both work with this cloud's EC2 and S3 interfaces)</li></ul>";
    x.render("Extras", "extras", body);
  }
}
