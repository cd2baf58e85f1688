package com.eucalyptus.clc.console.pages;

import com.eucalyptus.clc.console.ConsoleServices;
import com.eucalyptus.clc.console.web.Exchange;
import com.eucalyptus.clc.console.web.Html;
import com.eucalyptus.clc.console.web.Message;
import com.eucalyptus.clc.console.web.Routes;
import com.eucalyptus.clc.console.web.Routes.Access;
import com.eucalyptus.clc.images.Images;
import java.io.IOException;
import java.util.List;

/** The Images tab: the images a user may run; the administrator sees all and disables or enables them. */
public final class ImagesPages {
  private final ConsoleServices c;

  public ImagesPages(ConsoleServices c) {
    this.c = c;
  }

  public void register(Routes r) {
    r.get("/images", Access.USER, this::page);
    r.post("/images/disable", Access.ADMIN, x -> setEnabled(x, false), this::page);
    r.post("/images/enable", Access.ADMIN, x -> setEnabled(x, true), this::page);
  }

  private void page(Exchange x) throws IOException {
    boolean admin = x.existingSession().admin();
    List<Images.Image> images = admin ? c.images().all() : c.images().visibleTo(x.user());
    StringBuilder b = new StringBuilder();
    if (images.isEmpty()) {
      b.append("<p id=\"no-images\">No images are registered yet. Bundle, upload and register one with the client"
          + " tools (see the Extras tab).</p>");
    } else {
      b.append("<table id=\"images-table\"><tr><th>Id</th><th>Kind</th><th>Owner</th><th>Manifest</th><th>State</th>"
          + "<th>Enabled</th>").append(admin ? "<th>Action</th>" : "").append("</tr>");
      String csrf = x.session().csrf;
      for (Images.Image i : images) {
        b.append("<tr data-image=\"").append(Html.e(i.imageId())).append("\">").append(Html.td("image-id", i.imageId()))
            .append(Html.td("image-kind", i.kind())).append(Html.td("image-owner", i.owner()))
            .append(Html.td("image-location", i.manifestLocation())).append(Html.td("image-state", i.state()))
            .append(Html.td("image-enabled", i.enabled() ? "yes" : "no"));
        if (admin) {
          b.append("<td>").append(i.enabled()
              ? Html.button(csrf, "/images/disable", "disable-image-" + i.imageId(), "image-disable", "Disable", "imageId",
                  i.imageId())
              : Html.button(csrf, "/images/enable", "enable-image-" + i.imageId(), "image-enable", "Enable", "imageId",
                  i.imageId())).append("</td>");
        }
        b.append("</tr>");
      }
      b.append("</table>");
    }
    x.render("Images", "images", b.toString());
  }

  private void setEnabled(Exchange x, boolean enabled) throws IOException {
    String id = x.param("imageId");
    if (!c.images().setEnabled(id, enabled)) {
      x.error("There is no image " + id + ".");
      page(x);
      return;
    }
    x.redirect("/images", Message.info("Image " + id + " was " + (enabled ? "enabled." : "disabled.")));
  }
}
