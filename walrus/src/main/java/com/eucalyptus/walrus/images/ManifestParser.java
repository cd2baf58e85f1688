package com.eucalyptus.walrus.images;

import com.eucalyptus.walrus.images.ImageBundleException.Reason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads a 2007-10-10 AMI manifest. The XML is parsed without DTDs or external entities (the
 * manifest comes from a user's bucket); the signed text is cut from the raw bytes, since the
 * signature covers the elements exactly as the bundler wrote them.
 */
public final class ManifestParser {
  /** Manifests are a few KB; anything much larger is not a manifest. */
  public static final int MAX_MANIFEST_BYTES = 1 << 20;

  private static final Pattern MACHINE_CONFIGURATION =
      Pattern.compile("<machine_configuration\\s*/>|<machine_configuration[\\s>].*?</machine_configuration\\s*>", Pattern.DOTALL);
  private static final Pattern IMAGE = Pattern.compile("<image\\s*/>|<image[\\s>].*?</image\\s*>", Pattern.DOTALL);

  private ManifestParser() {}

  public static ImageManifest parse(byte[] xml) throws ImageBundleException {
    if (xml.length > MAX_MANIFEST_BYTES) {
      throw bad("manifest is larger than " + MAX_MANIFEST_BYTES + " bytes");
    }
    Element root = parseXml(xml).getDocumentElement();
    if (!"manifest".equals(root.getTagName())) {
      throw bad("root element is <" + root.getTagName() + ">, not <manifest>");
    }
    Element machine = child(root, "machine_configuration");
    Element image = child(root, "image");
    if (image == null) {
      throw bad("no <image> element");
    }
    Element bundler = child(root, "bundler");
    Element digest = required(image, "digest");
    Element ec2Key = required(image, "ec2_encrypted_key");
    return new ImageManifest(
        text(root, "version"),
        bundler == null ? null : text(bundler, "name"),
        bundler == null ? null : text(bundler, "version"),
        machine == null ? null : text(machine, "architecture"),
        machine == null ? null : text(machine, "kernel_id"),
        machine == null ? null : text(machine, "ramdisk_id"),
        productCodes(machine),
        blockDeviceMappings(machine),
        requiredText(image, "name"),
        text(image, "user"),
        text(image, "type"),
        text(image, "kernel_name"),
        digest.getTextContent().trim(),
        attributeOr(digest, "algorithm", "SHA1"),
        number(image, "size"),
        number(image, "bundled_size"),
        ec2Key.getTextContent().trim(),
        text(image, "user_encrypted_key"),
        requiredText(image, "ec2_encrypted_iv"),
        text(image, "user_encrypted_iv"),
        attributeOr(ec2Key, "algorithm", "AES-128-CBC"),
        parts(image),
        requiredText(root, "signature"),
        signedText(new String(xml, StandardCharsets.UTF_8)));
  }

  private static Document parseXml(byte[] xml) throws ImageBundleException {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder.parse(new ByteArrayInputStream(xml));
    } catch (Exception e) {
      throw new ImageBundleException(Reason.BAD_MANIFEST, "manifest is not well-formed XML: " + e.getMessage(), e);
    }
  }

  /** The machine_configuration element (if any) followed by the image element, as written. */
  static String signedText(String xml) throws ImageBundleException {
    Matcher image = IMAGE.matcher(xml);
    if (!image.find()) {
      throw bad("no <image> element");
    }
    Matcher machine = MACHINE_CONFIGURATION.matcher(xml);
    String prefix = machine.find() ? machine.group() : "";
    return prefix + image.group();
  }

  private static List<ImageManifest.Part> parts(Element image) throws ImageBundleException {
    Element parts = required(image, "parts");
    List<ImageManifest.Part> list = new ArrayList<>();
    for (Element part : children(parts, "part")) {
      String index = part.getAttribute("index");
      int i;
      try {
        i = index.isEmpty() ? list.size() : Integer.parseInt(index.trim());
      } catch (NumberFormatException e) {
        throw bad("part index '" + index + "' is not a number");
      }
      String filename = requiredText(part, "filename");
      if (filename.contains("/") || filename.contains("\\") || filename.startsWith(".")) {
        throw bad("part file name '" + filename + "' is not a plain name beside the manifest");
      }
      list.add(new ImageManifest.Part(i, filename, requiredText(part, "digest")));
    }
    if (list.isEmpty()) {
      throw bad("<parts> lists no part");
    }
    list.sort(Comparator.comparingInt(ImageManifest.Part::index));
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).index() != i) {
        throw bad("parts are not numbered 0.." + (list.size() - 1));
      }
    }
    String count = parts.getAttribute("count");
    if (!count.isEmpty() && !count.trim().equals(Integer.toString(list.size()))) {
      throw bad("<parts count=\"" + count + "\"> but " + list.size() + " parts listed");
    }
    return List.copyOf(list);
  }

  private static List<String> productCodes(Element machine) {
    List<String> codes = new ArrayList<>();
    Element holder = machine == null ? null : child(machine, "product_codes");
    if (holder != null) {
      for (Element code : children(holder, "product_code")) {
        codes.add(code.getTextContent().trim());
      }
    }
    return List.copyOf(codes);
  }

  private static List<ImageManifest.BlockDeviceMapping> blockDeviceMappings(Element machine) {
    List<ImageManifest.BlockDeviceMapping> list = new ArrayList<>();
    Element holder = machine == null ? null : child(machine, "block_device_mapping");
    if (holder != null) {
      for (Element mapping : children(holder, "mapping")) {
        list.add(new ImageManifest.BlockDeviceMapping(text(mapping, "virtual"), text(mapping, "device")));
      }
    }
    return List.copyOf(list);
  }

  private static long number(Element parent, String name) throws ImageBundleException {
    String value = text(parent, name);
    if (value == null || value.isEmpty()) {
      return -1;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw bad("<" + name + "> is not a number: " + value);
    }
  }

  private static Element child(Element parent, String name) {
    List<Element> list = children(parent, name);
    return list.isEmpty() ? null : list.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> list = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element e && name.equals(e.getTagName())) {
        list.add(e);
      }
    }
    return list;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }

  private static Element required(Element parent, String name) throws ImageBundleException {
    Element e = child(parent, name);
    if (e == null) {
      throw bad("no <" + name + "> in <" + parent.getTagName() + ">");
    }
    return e;
  }

  private static String requiredText(Element parent, String name) throws ImageBundleException {
    String value = required(parent, name).getTextContent().trim();
    if (value.isEmpty()) {
      throw bad("<" + name + "> in <" + parent.getTagName() + "> is empty");
    }
    return value;
  }

  private static String attributeOr(Element e, String name, String fallback) {
    String value = e.getAttribute(name);
    return value.isEmpty() ? fallback : value;
  }

  private static ImageBundleException bad(String message) {
    return new ImageBundleException(Reason.BAD_MANIFEST, "bad manifest: " + message);
  }
}
