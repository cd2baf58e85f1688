package com.eucalyptus.cc.network.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * iptables-save text read back: per table, the chains it declares (with their policy, "-" for a
 * user chain) and its rules as argument lists, unquoted as iptables-restore would unquote them.
 * Used for the administrator's iptables-preload file and to see which group chains the host has.
 */
public record SavedTables(Map<String, Table> tables) {
  /** A rule: the chain it is appended to and the rest of its arguments. */
  public record Rule(String chain, List<String> args) {
    /** The chain this rule jumps to (-j/--jump or -g/--goto), or null. */
    public String target() {
      for (int k = 0; k + 1 < args.size(); k++) {
        String a = args.get(k);
        if (a.equals("-j") || a.equals("--jump") || a.equals("-g") || a.equals("--goto")) {
          return args.get(k + 1);
        }
      }
      return null;
    }
  }

  public record Table(String name, Map<String, String> chains, List<Rule> rules) {
  }

  public Table table(String name) {
    return tables.getOrDefault(name, new Table(name, Map.of(), List.of()));
  }

  /** Parses iptables-save output; IllegalArgumentException naming the line for anything else. */
  public static SavedTables parse(String text) {
    Map<String, Table> tables = new LinkedHashMap<>();
    Table current = null;
    String[] lines = text.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "line " + (n + 1) + " \"" + line + "\"";
      if (line.startsWith("*")) {
        current = new Table(line.substring(1).strip(), new LinkedHashMap<>(), new ArrayList<>());
        tables.put(current.name(), current);
        continue;
      }
      if (current == null) {
        throw new IllegalArgumentException(where + ": outside a table (*filter, *nat, …)");
      }
      if (line.equals("COMMIT")) {
        current = null;
        continue;
      }
      if (line.startsWith(":")) {
        String[] parts = line.substring(1).split("\\s+");
        if (parts.length < 2) {
          throw new IllegalArgumentException(where + ": a chain line is \":NAME POLICY [packets:bytes]\"");
        }
        current.chains().put(parts[0], parts[1]);
        continue;
      }
      List<String> words = words(line, where);
      if (!words.isEmpty() && words.get(0).matches("\\[\\d+:\\d+\\]")) {
        words = words.subList(1, words.size()); // iptables-save -c: the rule's counters
      }
      if (words.size() < 2 || !(words.get(0).equals("-A") || words.get(0).equals("--append"))) {
        throw new IllegalArgumentException(where + ": only \"-A CHAIN …\" rules are read");
      }
      current.rules().add(new Rule(words.get(1), List.copyOf(words.subList(2, words.size()))));
    }
    if (current != null) {
      throw new IllegalArgumentException("table *" + current.name() + " has no COMMIT");
    }
    return new SavedTables(tables);
  }

  /** Splits at blanks; "…" quotes (iptables-save quotes e.g. comments), \" and \\ within them. */
  static List<String> words(String line, String where) {
    List<String> words = new ArrayList<>();
    StringBuilder w = null;
    boolean quoted = false;
    for (int k = 0; k < line.length(); k++) {
      char c = line.charAt(k);
      if (quoted) {
        if (c == '\\' && k + 1 < line.length()) {
          w.append(line.charAt(++k));
        } else if (c == '"') {
          quoted = false;
        } else {
          w.append(c);
        }
      } else if (Character.isWhitespace(c)) {
        if (w != null) {
          words.add(w.toString());
          w = null;
        }
      } else {
        if (w == null) {
          w = new StringBuilder();
        }
        if (c == '"') {
          quoted = true;
        } else {
          w.append(c);
        }
      }
    }
    if (quoted) {
      throw new IllegalArgumentException(where + ": a quote is not closed");
    }
    if (w != null) {
      words.add(w.toString());
    }
    return words;
  }
}
