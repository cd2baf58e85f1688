package com.eucalyptus.clc.api.actions;

import com.eucalyptus.clc.persistence.ImageEntity;

/** Image rows as a registration stores them, for the action tests. */
final class ImageRows {
  private ImageRows() {
  }

  /** An available, enabled x86_64 image at b/ID.manifest.xml; only its owner may run it unless {@code isPublic}. */
  static ImageEntity available(String id, String owner, String kind, boolean isPublic) {
    ImageEntity e = new ImageEntity();
    e.imageId = id;
    e.manifestLocation = "b/" + id + ".manifest.xml";
    e.owner = owner;
    e.kind = kind;
    e.state = "available";
    e.enabled = true;
    e.isPublic = isPublic;
    e.architecture = "x86_64";
    e.launchUsers = "";
    e.productCodes = "";
    return e;
  }
}
