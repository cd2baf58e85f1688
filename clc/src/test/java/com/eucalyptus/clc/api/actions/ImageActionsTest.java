package com.eucalyptus.clc.api.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eucalyptus.clc.TestDatabases;
import com.eucalyptus.clc.accounts.Accounts;
import com.eucalyptus.clc.api.Ec2Action;
import com.eucalyptus.clc.api.Ec2Exception;
import com.eucalyptus.clc.api.QueryRequest;
import com.eucalyptus.clc.api.Xml;
import com.eucalyptus.clc.images.Images;
import com.eucalyptus.clc.persistence.Database;
import com.eucalyptus.clc.persistence.ImageEntity;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image actions over a real HSQLDB: visibility, launch permissions, attributes, disabling. */
class ImageActionsTest {
  @TempDir
  Path home;

  private static String call(ImageActions actions, String name, String query, Accounts.User caller) throws Exception {
    Ec2Action a = actions.all().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    QueryRequest r = QueryRequest.of("GET", "h", "/services/Eucalyptus", query, new byte[0], null, Map.of());
    Xml out = new Xml();
    a.handle(r, caller, out);
    return out.toString();
  }

  private static ImageEntity image(String id, String owner, String kind) {
    return ImageRows.available(id, owner, kind, false);
  }

  @Test
  void launchPermissionsDecideWhoSeesAnImage() throws Exception {
    try (Database db = TestDatabases.fileDatabase(home)) {
      Accounts accounts = new Accounts(db);
      Accounts.User admin = accounts.add("admin", "", true, null).orElseThrow();
      Accounts.User alice = accounts.add("alice", "", false, null).orElseThrow();
      Accounts.User bob = accounts.add("bob", "", false, null).orElseThrow();
      Images images = new Images(db);
      ImageActions actions = new ImageActions(images, null, accounts);
      images.register(image("eki-00000001", "admin", "kernel"));
      ImageEntity m = image("emi-00000002", "alice", "machine");
      m.kernelId = "eki-00000001";
      images.register(m);

      String mine = call(actions, "DescribeImages", "", alice);
      assertTrue(mine.contains("<imageId>emi-00000002</imageId>") && mine.contains("<kernelId>eki-00000001</kernelId>")
          && mine.contains("<imageType>machine</imageType>") && mine.contains("<isPublic>false</isPublic>"), mine);
      assertFalse(mine.contains("eki-00000001</imageId>"), "the admin's private kernel is not alice's");
      assertFalse(call(actions, "DescribeImages", "", bob).contains("emi-00000002"));
      Ec2Exception e = assertThrows(Ec2Exception.class, () -> call(actions, "DescribeImages", "ImageId.1=emi-00000002", bob));
      assertEquals("InvalidAMIID.NotFound", e.code());
      // an image bob cannot see does not exist for him, not even to be refused
      assertEquals("InvalidAMIID.NotFound", assertThrows(Ec2Exception.class, () -> call(actions, "ModifyImageAttribute",
          "ImageId=emi-00000002&Attribute=launchPermission&OperationType=add&UserId.1=bob", bob)).code());

      call(actions, "ModifyImageAttribute", "ImageId=emi-00000002&Attribute=launchPermission&OperationType=add&UserId.1=bob", alice);
      assertTrue(call(actions, "DescribeImages", "ExecutableBy.1=self", bob).contains("emi-00000002"));
      assertFalse(call(actions, "DescribeImages", "Owner.1=self", bob).contains("emi-00000002"));
      assertTrue(call(actions, "DescribeImageAttribute", "ImageId=emi-00000002&Attribute=launchPermission", alice)
          .contains("<launchPermission><item><userId>bob</userId></item></launchPermission>"));
      call(actions, "ModifyImageAttribute", "ImageId=emi-00000002&LaunchPermission.Remove.1.UserId=bob"
          + "&LaunchPermission.Add.1.Group=all", alice);
      assertTrue(call(actions, "DescribeImages", "ExecutableBy.1=all", bob).contains("<isPublic>true</isPublic>"));
      // now bob sees it, but it is still alice's to change
      assertEquals("AuthFailure", assertThrows(Ec2Exception.class, () -> call(actions, "DeregisterImage",
          "ImageId=emi-00000002", bob)).code());

      call(actions, "DisableImage", "ImageId=emi-00000002", admin);
      assertFalse(call(actions, "DescribeImages", "", bob).contains("emi-00000002"));
      assertTrue(call(actions, "DescribeImages", "", alice).contains("<imageState>disabled</imageState>"));
      assertFalse(Images.runnable(images.find("emi-00000002").orElseThrow(), "alice"));
      call(actions, "EnableImage", "ImageId=emi-00000002", admin);
      assertTrue(Images.runnable(images.find("emi-00000002").orElseThrow(), "bob"));

      call(actions, "ResetImageAttribute", "ImageId=emi-00000002&Attribute=launchPermission", alice);
      assertFalse(Images.runnable(images.find("emi-00000002").orElseThrow(), "bob"));
      assertEquals("InvalidAMIID.Malformed", assertThrows(Ec2Exception.class,
          () -> call(actions, "DescribeImages", "ImageId.1=ami-1", alice)).code());
      assertTrue(call(actions, "ConfirmProductInstance", "ProductCode=774F4FF8&InstanceId=i-12345678", bob)
          .contains("<return>false</return>"));
    }
  }

  @Test
  void kernelAttributeMustNameAKernelAndTheBootKernelFollowsTheGuidesOrder() throws Exception {
    try (Database db = TestDatabases.fileDatabase(home)) {
      Accounts accounts = new Accounts(db);
      Accounts.User alice = accounts.add("alice", "", false, null).orElseThrow();
      Images images = new Images(db);
      ImageActions actions = new ImageActions(images, null, accounts);
      images.register(image("eki-00000001", "admin", "kernel"));
      images.register(image("emi-00000002", "alice", "machine"));
      assertEquals("InvalidParameterValue", assertThrows(Ec2Exception.class, () -> call(actions, "ModifyImageAttribute",
          "ImageId=emi-00000002&Attribute=kernel&Value=emi-00000002", alice)).code());
      call(actions, "ModifyImageAttribute", "ImageId=emi-00000002&Attribute=kernel&Value=eki-00000001", alice);
      assertTrue(call(actions, "DescribeImageAttribute", "ImageId=emi-00000002&Attribute=kernel", alice)
          .contains("<kernel><value>eki-00000001</value></kernel>"));
      assertEquals("eki-AAAAAAAA", Images.bootImage("eki-AAAAAAAA", "eki-00000001", "eki-BBBBBBBB"));
      assertEquals("eki-00000001", Images.bootImage(null, "eki-00000001", "eki-BBBBBBBB"));
      assertEquals("eki-BBBBBBBB", Images.bootImage("", null, "eki-BBBBBBBB"));
      call(actions, "DeregisterImage", "ImageId=emi-00000002", alice);
      assertTrue(images.find("emi-00000002").isEmpty());
    }
  }
}
