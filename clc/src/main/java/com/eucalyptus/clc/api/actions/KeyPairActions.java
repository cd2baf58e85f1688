package com.eucalyptus.clc.api.actions;

import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.api.Xml;
import com.eucalyptus.clc.compute.keys.KeyPairs;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPair: each user sees only their own keys. */
public final class KeyPairActions {
  private final KeyPairs keys;

  public KeyPairActions(KeyPairs keys) {
    this.keys = keys;
  }

  public List<Ec2Action> all() {
    return List.of(
        new SimpleAction("CreateKeyPair", false, this::create),
        new SimpleAction("ImportKeyPair", false, this::importKey),
        new SimpleAction("DescribeKeyPairs", false, this::describe),
        new SimpleAction("DeleteKeyPair", false, this::delete));
  }

  private void create(QueryRequest r, Accounts.User caller, Xml out) {
    KeyPairs.Created made = guarded(() -> keys.create(caller.name(), r.required("KeyName")));
    out.leaf("keyName", made.key().name()).leaf("keyFingerprint", made.key().fingerprint())
        .leaf("keyMaterial", made.privateKeyPem());
  }

  private void importKey(QueryRequest r, Accounts.User caller, Xml out) {
    String name = r.required("KeyName");
    String material;
    try {
      material = new String(Base64.getMimeDecoder().decode(r.required("PublicKeyMaterial")), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Ec2Exception.invalidParameter("PublicKeyMaterial must be the base64 encoding of an OpenSSH public key");
    }
    KeyPairs.Key key = guarded(() -> keys.importKey(caller.name(), name, material));
    out.leaf("keyName", key.name()).leaf("keyFingerprint", key.fingerprint());
  }

  private void describe(QueryRequest r, Accounts.User caller, Xml out) {
    List<String> names = CloudActions.indexed(r.params(), "KeyName");
    List<KeyPairs.Key> mine = keys.list(caller.name());
    for (String n : names) {
      if (mine.stream().noneMatch(k -> k.name().equals(n))) {
        throw new Ec2Exception(400, "InvalidKeyPair.NotFound", "The key pair '" + n + "' does not exist");
      }
    }
    out.open("keySet");
    for (KeyPairs.Key k : mine) {
      if (names.isEmpty() || names.contains(k.name())) {
        out.open("item").leaf("keyName", k.name()).leaf("keyFingerprint", k.fingerprint()).close("item");
      }
    }
    out.close("keySet");
  }

  private void delete(QueryRequest r, Accounts.User caller, Xml out) {
    keys.delete(caller.name(), r.required("KeyName"));
    out.leaf("return", true);
  }

  private static <T> T guarded(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (KeyPairs.DuplicateKeyException e) {
      throw new Ec2Exception(400, "InvalidKeyPair.Duplicate", e.getMessage());
    } catch (IllegalArgumentException e) {
      throw Ec2Exception.invalidParameter(e.getMessage());
    }
  }
}
