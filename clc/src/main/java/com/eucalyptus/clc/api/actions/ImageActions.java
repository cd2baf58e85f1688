package com.eucalyptus.clc.api.actions;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.api.Xml;
import com.eucalyptus.clc.images.ImageRegistration;
import com.eucalyptus.clc.images.Images;
import com.eucalyptus.clc.persistence.ImageEntity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The EC2 image actions (API 2008-12-01): RegisterImage, DeregisterImage, DescribeImages,
 * Describe/Modify/ResetImageAttribute, ConfirmProductInstance, and the administrator's
 * DisableImage/EnableImage (euca_conf --disable-image / --enable-image).
 */
public final class ImageActions {
  private static final String ID = "e[mkr]i-[0-9A-Fa-f]{8}";
  private final Images images;
  private final ImageRegistration registration;
  private final Accounts accounts;

  public ImageActions(Images images, ImageRegistration registration, Accounts accounts) {
    this.images = images;
    this.registration = registration;
    this.accounts = accounts;
  }

  /** The image actions over the CLC's database and the bundles Walrus stores. */
  public static ImageActions create(com.eucalyptus.clc.persistence.Database db, Accounts accounts,
      com.eucalyptus.walrus.images.BundleObjects bundles) {
    Images images = new Images(db);
    return new ImageActions(images,
        new ImageRegistration(images, bundles, new com.eucalyptus.clc.images.UserCertificates(db)), accounts);
  }

  public List<Ec2Action> all() {
    return List.of(
        new SimpleAction("RegisterImage", false, this::registerImage),
        new SimpleAction("DeregisterImage", false, this::deregisterImage),
        new SimpleAction("DescribeImages", false, this::describeImages),
        new SimpleAction("DescribeImageAttribute", false, this::describeImageAttribute),
        new SimpleAction("ModifyImageAttribute", false, this::modifyImageAttribute),
        new SimpleAction("ResetImageAttribute", false, this::resetImageAttribute),
        new SimpleAction("ConfirmProductInstance", false, this::confirmProductInstance),
        new SimpleAction("DisableImage", true, (r, c, out) -> setEnabled(r, out, false)),
        new SimpleAction("EnableImage", true, (r, c, out) -> setEnabled(r, out, true)));
  }

  private void registerImage(QueryRequest r, Accounts.User caller, Xml out) {
    ImageEntity e = registration.register(r.required("ImageLocation"), caller);
    out.leaf("imageId", e.imageId);
  }

  private void deregisterImage(QueryRequest r, Accounts.User caller, Xml out) {
    ImageEntity e = owned(r.required("ImageId"), caller);
    images.remove(e.imageId);
    out.leaf("return", true);
  }

  private void describeImages(QueryRequest r, Accounts.User caller, Xml out) {
    List<String> ids = CloudActions.indexed(r.params(), "ImageId");
    ids.forEach(ImageActions::checkId);
    Set<String> owners = self(CloudActions.indexed(r.params(), "Owner"), caller);
    Set<String> executableBy = self(CloudActions.indexed(r.params(), "ExecutableBy"), caller);
    List<ImageEntity> rows = new ArrayList<>();
    for (ImageEntity e : images.rows()) {
      if (!visible(e, caller) || !ids.isEmpty() && !ids.contains(e.imageId)) {
        continue;
      }
      if (!owners.isEmpty() && !owners.contains(e.owner)) {
        continue;
      }
      if (!executableBy.isEmpty() && executableBy.stream().noneMatch(u -> u.equals("all") ? e.isPublic : Images.mayLaunch(e, u))) {
        continue;
      }
      rows.add(e);
    }
    for (String id : ids) {
      if (rows.stream().noneMatch(e -> e.imageId.equals(id))) {
        throw notFound(id);
      }
    }
    out.open("imagesSet");
    for (ImageEntity e : rows) {
      out.open("item").leaf("imageId", e.imageId).leaf("imageLocation", e.manifestLocation)
          .leaf("imageState", e.enabled ? e.state : "disabled").leaf("imageOwnerId", e.owner).leaf("isPublic", e.isPublic);
      productCodes(out, e);
      out.leaf("architecture", e.architecture == null ? "i386" : e.architecture).leaf("imageType", e.kind);
      if (e.kernelId != null) {
        out.leaf("kernelId", e.kernelId);
      }
      if (e.ramdiskId != null) {
        out.leaf("ramdiskId", e.ramdiskId);
      }
      out.close("item");
    }
    out.close("imagesSet");
  }

  /** The admin sees every image; others what they may launch (public, own, shared), disabled ones only if their own. */
  private static boolean visible(ImageEntity e, Accounts.User caller) {
    if (caller.admin() || caller.name().equals(e.owner)) {
      return true;
    }
    return e.enabled && Images.mayLaunch(e, caller.name());
  }

  private static Set<String> self(List<String> names, Accounts.User caller) {
    Set<String> out = new LinkedHashSet<>();
    names.forEach(n -> out.add(n.equals("self") ? caller.name() : n));
    return out;
  }

  private static void productCodes(Xml out, ImageEntity e) {
    out.open("productCodes");
    for (String code : Images.words(e.productCodes)) {
      out.open("item").leaf("productCode", code).close("item");
    }
    out.close("productCodes");
  }

  private void describeImageAttribute(QueryRequest r, Accounts.User caller, Xml out) {
    String attribute = r.required("Attribute");
    ImageEntity e = attribute.equals("launchPermission") ? owned(r.required("ImageId"), caller) : visibleImage(r, caller);
    out.leaf("imageId", e.imageId);
    switch (attribute) {
      case "launchPermission" -> {
        out.open("launchPermission");
        if (e.isPublic) {
          out.open("item").leaf("group", "all").close("item");
        }
        for (String u : Images.launchUsers(e)) {
          out.open("item").leaf("userId", u).close("item");
        }
        out.close("launchPermission");
      }
      case "productCodes" -> productCodes(out, e);
      case "kernel" -> out.open("kernel").leaf("value", e.kernelId).close("kernel");
      case "ramdisk" -> out.open("ramdisk").leaf("value", e.ramdiskId).close("ramdisk");
      default -> throw unknownAttribute(attribute);
    }
  }

  private void modifyImageAttribute(QueryRequest r, Accounts.User caller, Xml out) {
    ImageEntity e = owned(r.required("ImageId"), caller);
    String attribute = r.param("Attribute");
    if (attribute == null) { // the newer form: LaunchPermission.Add.1.UserId, ProductCode.1, Kernel.Value
      attribute = r.params().keySet().stream().anyMatch(k -> k.startsWith("LaunchPermission.")) ? "launchPermission"
          : r.params().containsKey("ProductCode.1") ? "productCodes"
          : r.params().containsKey("Kernel.Value") ? "kernel"
          : r.params().containsKey("Ramdisk.Value") ? "ramdisk" : null;
      if (attribute == null) {
        throw Ec2Exception.missingParameter("Attribute");
      }
    }
    switch (attribute) {
      case "launchPermission" -> modifyLaunchPermission(r, e);
      case "productCodes" -> {
        List<String> codes = CloudActions.indexed(r.params(), "ProductCode");
        if (codes.isEmpty()) {
          throw Ec2Exception.missingParameter("ProductCode.1");
        }
        codes.forEach(c -> {
          if (!c.matches("[A-Za-z0-9]{1,64}")) {
            throw Ec2Exception.invalidParameter("'" + c + "' is not a product code");
          }
        });
        change(e, x -> {
          Set<String> all = Images.words(x.productCodes);
          all.addAll(codes);
          x.productCodes = String.join(" ", all);
        });
      }
      case "kernel", "ramdisk" -> {
        String value = r.param("Value") != null ? r.param("Value")
            : r.param(attribute.equals("kernel") ? "Kernel.Value" : "Ramdisk.Value");
        if (value == null || value.isBlank()) {
          throw Ec2Exception.missingParameter("Value");
        }
        if (!e.kind.equals("machine")) {
          throw Ec2Exception.invalidParameter(e.imageId + " is a " + e.kind + ": only machine images have a " + attribute);
        }
        String wanted = attribute;
        ImageEntity ref = images.find(value.trim()).filter(x -> x.kind.equals(wanted))
            .orElseThrow(() -> Ec2Exception.invalidParameter("there is no " + wanted + " image " + value));
        change(e, x -> {
          if (wanted.equals("kernel")) {
            x.kernelId = ref.imageId;
          } else {
            x.ramdiskId = ref.imageId;
          }
        });
      }
      default -> throw unknownAttribute(attribute);
    }
    out.leaf("return", true);
  }

  private void modifyLaunchPermission(QueryRequest r, ImageEntity e) {
    List<String> addUsers = new ArrayList<>();
    List<String> removeUsers = new ArrayList<>();
    List<String> addGroups = new ArrayList<>();
    List<String> removeGroups = new ArrayList<>();
    String op = r.param("OperationType");
    if (op != null) {
      if (!op.equals("add") && !op.equals("remove")) {
        throw Ec2Exception.invalidParameter("OperationType must be add or remove, not '" + op + "'");
      }
      (op.equals("add") ? addUsers : removeUsers).addAll(CloudActions.indexed(r.params(), "UserId"));
      (op.equals("add") ? addGroups : removeGroups).addAll(CloudActions.indexed(r.params(), "UserGroup"));
    }
    for (int i = 1; i < 1000; i++) {
      boolean any = false;
      for (String[] k : new String[][] {{"Add", "UserId"}, {"Add", "Group"}, {"Remove", "UserId"}, {"Remove", "Group"}}) {
        String v = r.param("LaunchPermission." + k[0] + "." + i + "." + k[1]);
        if (v != null) {
          any = true;
          (k[0].equals("Add") ? (k[1].equals("Group") ? addGroups : addUsers) : (k[1].equals("Group") ? removeGroups : removeUsers)).add(v);
        }
      }
      if (!any) {
        break;
      }
    }
    if (addUsers.isEmpty() && removeUsers.isEmpty() && addGroups.isEmpty() && removeGroups.isEmpty()) {
      throw Ec2Exception.missingParameter("UserId.1 or UserGroup.1");
    }
    for (String g : concat(addGroups, removeGroups)) {
      if (!g.equals("all")) {
        throw Ec2Exception.invalidParameter("the only user group is 'all', not '" + g + "'");
      }
    }
    for (String u : addUsers) {
      if (accounts.find(u).isEmpty()) {
        throw Ec2Exception.invalidParameter("there is no user " + u);
      }
    }
    change(e, x -> {
      Set<String> users = Images.launchUsers(x);
      users.addAll(addUsers);
      users.removeAll(removeUsers);
      x.launchUsers = String.join(" ", users);
      if (!addGroups.isEmpty()) {
        x.isPublic = true;
      }
      if (!removeGroups.isEmpty()) {
        x.isPublic = false;
      }
    });
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private void resetImageAttribute(QueryRequest r, Accounts.User caller, Xml out) {
    ImageEntity e = owned(r.required("ImageId"), caller);
    String attribute = r.required("Attribute");
    switch (attribute) {
      case "launchPermission" -> change(e, x -> {
        x.launchUsers = "";
        x.isPublic = false;
      });
      case "kernel" -> change(e, x -> x.kernelId = null);
      case "ramdisk" -> change(e, x -> x.ramdiskId = null);
      default -> throw Ec2Exception.invalidParameter("attribute " + attribute + " cannot be reset (launchPermission, kernel, ramdisk can)");
    }
    out.leaf("return", true);
  }

  /** No instances exist yet: no instance runs a product. */
  private void confirmProductInstance(QueryRequest r, Accounts.User caller, Xml out) {
    r.required("ProductCode");
    r.required("InstanceId");
    out.leaf("return", false);
  }

  private void setEnabled(QueryRequest r, Xml out, boolean enabled) {
    String id = r.required("ImageId");
    checkId(id);
    if (!images.setEnabled(id, enabled)) {
      throw notFound(id);
    }
    out.leaf("imageId", id).leaf("enabled", enabled);
  }

  private void change(ImageEntity e, Consumer<ImageEntity> change) {
    if (!images.update(e.imageId, change)) {
      throw notFound(e.imageId);
    }
  }

  /** The image, which the caller must own (or be the admin); others get NotFound or AuthFailure. */
  private ImageEntity owned(String id, Accounts.User caller) {
    checkId(id);
    ImageEntity e = images.find(id).filter(x -> visible(x, caller)).orElseThrow(() -> notFound(id));
    if (!caller.admin() && !caller.name().equals(e.owner)) {
      throw new Ec2Exception(403, "AuthFailure", "not authorized: " + id + " belongs to another user");
    }
    return e;
  }

  private ImageEntity visibleImage(QueryRequest r, Accounts.User caller) {
    String id = r.required("ImageId");
    checkId(id);
    return images.find(id).filter(x -> visible(x, caller)).orElseThrow(() -> notFound(id));
  }

  private static void checkId(String id) {
    if (!id.matches(ID)) {
      throw new Ec2Exception(400, "InvalidAMIID.Malformed", "Invalid id: \"" + id + "\" (expecting emi-, eki- or eri- and 8 hex digits)");
    }
  }

  private static Ec2Exception notFound(String id) {
    return new Ec2Exception(400, "InvalidAMIID.NotFound", "The image id '[" + id + "]' does not exist");
  }

  private static Ec2Exception unknownAttribute(String a) {
    return Ec2Exception.invalidParameter("unknown image attribute " + a + " (launchPermission, productCodes, kernel, ramdisk)");
  }
}
