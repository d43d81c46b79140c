package org.conclave.appservice.ops.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.conclave.appservice.config.LoggingConfig;
import org.slf4j.LoggerFactory;

/**
 * Applies section {@code logging} to logback once the configuration is read: the root level, and for
 * {@code format: json} a console appender with {@link JsonLogEncoder} instead of the text one of logback.xml.
 */
public final class LogSetup {
    static final String JSON_APPENDER = "CONSOLE_JSON";

    private LogSetup() {}

    public static void apply(LoggingConfig config) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return; // another SLF4J binding
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(config.level(), Level.INFO));
        if (!config.json() || root.getAppender(JSON_APPENDER) != null) return;
        JsonLogEncoder encoder = new JsonLogEncoder();
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setName(JSON_APPENDER);
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }
}
