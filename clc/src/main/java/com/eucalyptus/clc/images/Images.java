package com.eucalyptus.clc.images;

import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.ImageEntity;
import java.util.List;

/**
 * The registered images: the EC2 image API (clc/api/actions/ImageActions) registers, describes
 * and changes them, the console lists them, and the administrator enables or disables them (a
 * disabled image cannot be run). Launch permissions: the owner, the users named, and everyone
 * when the image is public (group "all").
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

  /** What a user may see and run: enabled, available images that are public, their own or shared with them. */
  public List<Image> visibleTo(String user) {
    return db.tx(s -> s.createQuery("from ImageEntity order by imageId", ImageEntity.class).getResultList().stream()
        .filter(e -> e.enabled && "available".equals(e.state) && mayLaunch(e, user)).map(Image::of).toList());
  }

  /** Whether {@code user} may run (and see) the image: its owner, a launch permission, or public. */
  public static boolean mayLaunch(ImageEntity e, String user) {
    return e.isPublic || user.equals(e.owner) || launchUsers(e).contains(user);
  }

  /** What RunInstances must check: the image is enabled, available, and {@code user} may launch it. */
  public static boolean runnable(ImageEntity e, String user) {
    return e.enabled && "available".equals(e.state) && mayLaunch(e, user);
  }

  public static java.util.Set<String> launchUsers(ImageEntity e) {
    return words(e.launchUsers);
  }

  public static java.util.Set<String> words(String spaced) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    if (spaced != null) {
      for (String w : spaced.trim().split("\\s+")) {
        if (!w.isEmpty()) {
          out.add(w);
        }
      }
    }
    return out;
  }

  /** Stores a newly registered image (all fields as given); false if the id is taken. */
  public boolean register(ImageEntity image) {
    return db.tx(s -> {
      if (s.find(ImageEntity.class, image.imageId) != null) {
        return false;
      }
      s.persist(image);
      return true;
    });
  }

  /** A detached copy of the image's row. */
  public java.util.Optional<ImageEntity> find(String imageId) {
    return db.tx(s -> {
      ImageEntity e = s.find(ImageEntity.class, imageId);
      if (e != null) {
        s.detach(e);
      }
      return java.util.Optional.ofNullable(e);
    });
  }

  /** Detached copies of every image's row, by id. */
  public List<ImageEntity> rows() {
    return db.tx(s -> {
      List<ImageEntity> list = s.createQuery("from ImageEntity order by imageId", ImageEntity.class).getResultList();
      list.forEach(s::detach);
      return list;
    });
  }

  /** Changes the image's row in one transaction; false when there is no such image. */
  public boolean update(String imageId, java.util.function.Consumer<ImageEntity> change) {
    return db.tx(s -> {
      ImageEntity e = s.find(ImageEntity.class, imageId);
      if (e == null) {
        return false;
      }
      change.accept(e);
      return true;
    });
  }

  /** Deletes the image's row (DeregisterImage); false when there is no such image. */
  public boolean remove(String imageId) {
    return db.tx(s -> {
      ImageEntity e = s.find(ImageEntity.class, imageId);
      if (e == null) {
        return false;
      }
      s.remove(e);
      return true;
    });
  }

  /**
   * The kernel (or ramdisk) an instance of {@code image} boots, chosen the three ways of the
   * guide: the one asked for at run time, else the image's own (manifest or image attribute),
   * else the administrator's default (cloud.default.kernel / cloud.default.ramdisk); null if none.
   */
  public static String bootImage(String atRunTime, String ofImage, String cloudDefault) {
    for (String id : new String[] {atRunTime, ofImage, cloudDefault}) {
      if (id != null && !id.isBlank()) {
        return id.trim();
      }
    }
    return null;
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
