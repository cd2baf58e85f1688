package com.eucalyptus.clc.images;

import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.ImageEntity;
import java.util.List;

/**
 * The registered images, as the console lists them and the administrator enables or disables
 * them. The image registry of issue 4 (RegisterImage, DescribeImages) adds to this class.
 */
public final class Images {
  private final Database db;

  public Images(Database db) {
    this.db = db;
  }

  /** A copy of an image's row, safe to use outside a transaction. */
  public record Image(String imageId, String manifestLocation, String owner, String kind, String state, boolean enabled,
      boolean isPublic) {
    static Image of(ImageEntity e) {
      return new Image(e.imageId, e.manifestLocation, e.owner, e.kind, e.state, e.enabled, e.isPublic);
    }
  }

  /** Stores a new image; false if the id is taken. */
  public boolean add(Image image) {
    return db.tx(s -> {
      if (s.find(ImageEntity.class, image.imageId()) != null) {
        return false;
      }
      ImageEntity e = new ImageEntity();
      e.imageId = image.imageId();
      e.manifestLocation = image.manifestLocation();
      e.owner = image.owner();
      e.kind = image.kind();
      e.state = image.state();
      e.enabled = image.enabled();
      e.isPublic = image.isPublic();
      s.persist(e);
      return true;
    });
  }

  public List<Image> all() {
    return db.tx(s -> s.createQuery("from ImageEntity order by imageId", ImageEntity.class).getResultList().stream()
        .map(Image::of).toList());
  }

  /** What a user may see and run: enabled, available images that are public or their own. */
  public List<Image> visibleTo(String user) {
    return all().stream().filter(i -> i.enabled() && "available".equals(i.state()) && (i.isPublic() || user.equals(i.owner())))
        .toList();
  }

  /** @return false when there is no such image */
  public boolean setEnabled(String imageId, boolean enabled) {
    return db.tx(s -> {
      ImageEntity e = s.find(ImageEntity.class, imageId);
      if (e == null) {
        return false;
      }
      e.enabled = enabled;
      return true;
    });
  }
}
