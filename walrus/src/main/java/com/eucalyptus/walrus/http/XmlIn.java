package com.eucalyptus.walrus.http;

import com.eucalyptus.walrus.S3Exception;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Parses request bodies (ACLs, Delete, CompleteMultipartUpload, CreateBucketConfiguration):
 * namespace-aware, no DTDs or external entities, elements matched by local name so documents with
 * or without the S3 namespace are both accepted.
 */
public final class XmlIn {
  private XmlIn() {}

  public static Element parse(byte[] body, String errorCode) throws S3Exception {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      f.setXIncludeAware(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      Document d = b.parse(new ByteArrayInputStream(body));
      return d.getDocumentElement();
    } catch (Exception e) {
      throw new S3Exception(400, errorCode, "The XML you provided was not well-formed or did not validate against our published schema");
    }
  }

  public static String name(Node n) {
    return n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
  }

  public static List<Element> children(Element parent, String localName) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name(e).equals(localName)) {
        out.add(e);
      }
    }
    return out;
  }

  public static Element child(Element parent, String localName) {
    List<Element> c = children(parent, localName);
    return c.isEmpty() ? null : c.get(0);
  }

  /** The trimmed text of a child element, or null when there is none. */
  public static String text(Element parent, String localName) {
    Element c = child(parent, localName);
    return c == null ? null : c.getTextContent().trim();
  }
}
