package com.eucalyptus.cc.service;

import com.eucalyptus.cc.nodes.NodeRegistry;
import com.eucalyptus.cc.nodes.NodeState;
import com.eucalyptus.runtime.crypto.Pem;
import com.eucalyptus.wsdl.gl.EucalyptusGLSkeletonInterface;
import com.eucalyptus.wsdl.gl.types.GetKeys;
import com.eucalyptus.wsdl.gl.types.GetKeysResponse;
import com.eucalyptus.wsdl.gl.types.GetKeysResponseType;
import com.eucalyptus.wsdl.gl.types.GetLogs;
import com.eucalyptus.wsdl.gl.types.GetLogsResponse;
import com.eucalyptus.wsdl.gl.types.GetLogsResponseType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * EucalyptusGL: GetKeys gives the CLC the certificate this CC signs with and the one a node
 * signed its last reply with (base64 of PEM), so the CLC can compare them with the ones it made
 * (describe-availability-zones verbose: certs[cc=…,nc=…]); GetLogs the tail of the CC's logs.
 */
public final class GatherLogService implements EucalyptusGLSkeletonInterface {
  private static final int LOG_TAIL_LINES = 200;
  private final NodeRegistry nodes;
  private final Path keysDir;
  private final Path logDir;

  public GatherLogService(NodeRegistry nodes, Path keysDir, Path logDir) {
    this.nodes = nodes;
    this.keysDir = keysDir;
    this.logDir = logDir;
  }

  @Override
  public GetKeysResponse getKeys(GetKeys request) {
    String tag = request.getGetKeys().getServiceTag();
    GetKeysResponseType out = new GetKeysResponseType();
    out.setCorrelationId(request.getGetKeys().getCorrelationId());
    out.setServiceTag(tag);
    out.setCCcert(base64File(keysDir.resolve("cluster-cert.pem")));
    NodeState node = nodes.find(tag);
    out.setNCcert(node == null || node.replySigner() == null ? ""
        : Base64.getEncoder().encodeToString(Pem.toPem(node.replySigner()).getBytes(StandardCharsets.US_ASCII)));
    out.set_return(true);
    GetKeysResponse r = new GetKeysResponse();
    r.setGetKeysResponse(out);
    return r;
  }

  @Override
  public GetLogsResponse getLogs(GetLogs request) {
    GetLogsResponseType out = new GetLogsResponseType();
    out.setCorrelationId(request.getGetLogs().getCorrelationId());
    out.setServiceTag(request.getGetLogs().getServiceTag());
    out.setCCLog(base64Tail(logDir.resolve("cc.log")));
    out.setHttpdLog(base64Tail(logDir.resolve("httpd-cc_error_log")));
    out.set_return(true);
    GetLogsResponse r = new GetLogsResponse();
    r.setGetLogsResponse(out);
    return r;
  }

  private static String base64File(Path p) {
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(p));
    } catch (IOException e) {
      return "";
    }
  }

  private static String base64Tail(Path p) {
    try {
      List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
      String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
      return Base64.getEncoder().encodeToString(tail.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return "";
    }
  }
}
