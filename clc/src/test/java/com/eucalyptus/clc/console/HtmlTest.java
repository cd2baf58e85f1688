package com.eucalyptus.clc.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.eucalyptus.clc.console.web.Html;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesEverythingThatCouldEndTextOrAnAttribute() {
    assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;",
        Html.e("<script>alert('x')</script> & \"q\""));
    assertEquals("", Html.e(null));
    assertEquals("<input type=\"text\" id=\"n\" name=\"n\" value=\"&quot;&gt;&lt;b&gt;\" required>",
        Html.field("L", "text", "n", "\"><b>", true).replaceAll("^<label[^>]*>L</label>", "").replace("<br>", ""));
  }
}
