package com.eucalyptus.runtime.logging;

import java.nio.file.Path;
import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.api.RootLoggerComponentBuilder;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * Sets up Log4j 2 for one daemon with the log files the 1.5.2 guide's troubleshooting section
 * names, under {@code $EUCALYPTUS/var/log/eucalyptus}:
 * <ul>
 *   <li>CLC ({@code cloud}): standard output at LOGLEVEL (the init script sends it to
 *       cloud-output.log), {@code cloud-debug.log} with everything, {@code cloud-error.log} with
 *       errors only;</li>
 *   <li>CC: {@code cc.log}; NC: {@code nc.log}, at LOGLEVEL;</li>
 *   <li>each external command run, with its exit code and output (logger {@link #COMMANDS_LOGGER}):
 *       for the CC and NC in {@code httpd-cc_error_log} / {@code httpd-nc_error_log}, the files the
 *       guide sends administrators to for "the STDERR/STDOUT from any external commands"; for the
 *       CLC in its standard output (cloud-output.log) and cloud-debug.log.</li>
 * </ul>
 * LOGLEVEL takes the five levels of the original: DEBUG, INFO, WARN, ERROR, FATAL.
 */
public final class DaemonLogging {
  public static final String COMMANDS_LOGGER = "euca.commands";
  private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5level [%t] %c{1}: %msg%n%throwable";

  private DaemonLogging() {
  }

  /** LOGLEVEL as in eucalyptus.conf; unknown or empty means INFO. */
  public static Level parseLevel(String logLevel) {
    if (logLevel == null) {
      return Level.INFO;
    }
    return switch (logLevel.strip().toUpperCase(Locale.ROOT)) {
      case "DEBUG", "EUCADEBUG" -> Level.DEBUG;
      case "WARN", "WARNING", "EUCAWARN" -> Level.WARN;
      case "ERROR", "EUCAERROR" -> Level.ERROR;
      case "FATAL", "EUCAFATAL" -> Level.FATAL;
      default -> Level.INFO;
    };
  }

  /**
   * @param daemon {@code cloud}, {@code cc} or {@code nc}
   */
  public static LoggerContext init(String daemon, Path logDir, String logLevel) {
    Level level = parseLevel(logLevel);
    ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
    b.setConfigurationName("eucalyptus-" + daemon);
    b.setStatusLevel(Level.WARN);
    RootLoggerComponentBuilder root;
    if (daemon.equals("cloud")) {
      b.add(console(b, "stdout"));
      b.add(file(b, "debug", logDir.resolve("cloud-debug.log")));
      b.add(file(b, "error", logDir.resolve("cloud-error.log")));
      root = b.newRootLogger(Level.DEBUG)
          .add(b.newAppenderRef("stdout").addAttribute("level", level))
          .add(b.newAppenderRef("debug").addAttribute("level", Level.DEBUG))
          .add(b.newAppenderRef("error").addAttribute("level", Level.ERROR));
    } else {
      b.add(file(b, "main", logDir.resolve(daemon + ".log")));
      root = b.newRootLogger(level).add(b.newAppenderRef("main"));
    }
    b.add(root);
    if (!daemon.equals("cloud")) {
      b.add(file(b, "commands", logDir.resolve("httpd-" + daemon + "_error_log")));
      b.add(b.newLogger(COMMANDS_LOGGER, Level.DEBUG).add(b.newAppenderRef("commands")).addAttribute("additivity", true));
    }
    quiet(b, level);
    // reconfigure rather than initialize: a context may already exist (library static loggers)
    Configurator.reconfigure(b.build());
    return LoggerContext.getContext(false);
  }

  /** Libraries that are loud at DEBUG/INFO about things that are not ours to fix. */
  private static void quiet(ConfigurationBuilder<BuiltConfiguration> b, Level level) {
    Level floor = level.isMoreSpecificThan(Level.WARN) ? level : Level.WARN;
    for (String name : new String[] {"org.apache.axis2", "org.apache.axiom", "org.apache.rampart", "org.apache.ws",
        "org.apache.neethi", "org.hibernate", "org.eclipse.jetty", "org.apache.commons.httpclient", "httpclient",
        "org.apache.http", "org.apache.xml.security",
        // Santuario's XML-signature provider (Rampart signs with it): at DEBUG it writes every
        // canonicalized, signed SOAP body (user data, public keys) into cloud-debug.log.
        "org.apache.jcp.xml.dsig", "org.jcp.xml.dsig"}) {
      b.add(b.newLogger(name, floor));
    }
    // WSS4J warns "No Subject DN Certificate Constraints were defined" for every signed message:
    // we check the signer ourselves (runtime.soap.SignedMessageGuard), so the warning carries nothing.
    b.add(b.newLogger("org.apache.ws.security.validate.SignatureTrustValidator", Level.ERROR));
    // Axis2 logs every SOAP fault it sends as an ERROR with a stack trace; runtime.soap.FaultLogger
    // writes one line per fault instead.
    b.add(b.newLogger("org.apache.axis2.engine.AxisEngine", Level.FATAL));
    b.add(b.newLogger("org.apache.axis2.deployment", Level.ERROR));
  }

  private static AppenderComponentBuilder console(ConfigurationBuilder<BuiltConfiguration> b, String name) {
    return b.newAppender(name, "Console").addAttribute("target", "SYSTEM_OUT")
        .add(b.newLayout("PatternLayout").addAttribute("pattern", PATTERN));
  }

  private static AppenderComponentBuilder file(ConfigurationBuilder<BuiltConfiguration> b, String name, Path path) {
    return b.newAppender(name, "File").addAttribute("fileName", path.toString()).addAttribute("append", true)
        .add(b.newLayout("PatternLayout").addAttribute("pattern", PATTERN));
  }
}
