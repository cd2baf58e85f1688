package com.eucalyptus.runtime.soap;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Collects what one logger writes, for tests that check "one log line saying why". */
final class LogCapture extends AbstractAppender implements AutoCloseable {
  private final Logger logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  LogCapture(Class<?> loggerOf) {
    super("capture-" + loggerOf.getSimpleName(), null, null, true, Property.EMPTY_ARRAY);
    logger = (Logger) LogManager.getLogger(loggerOf);
    start();
    logger.addAppender(this);
    if (!logger.isEnabled(Level.WARN)) {
      logger.setLevel(Level.WARN);
    }
  }

  @Override
  public void append(LogEvent event) {
    lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  void clear() {
    lines.clear();
  }

  @Override
  public void close() {
    logger.removeAppender(this);
    stop();
  }
}
