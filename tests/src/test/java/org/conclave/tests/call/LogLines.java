package org.conclave.tests.call;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The formatted lines one logger writes while open, at INFO and above (or a lower level asked for). For facts the
 * product only reports in its log, such as the role it gave a caller.
 */
final class LogLines implements AutoCloseable {
    private final Logger logger;
    private final Level previousLevel;
    private final List<String> lines = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            synchronized (lines) {
                lines.add(event.getFormattedMessage());
                lines.notifyAll();
            }
        }
    };

    LogLines(Class<?> source) {
        this(source.getName());
    }

    /** The lines of the logger of that name (for classes a test cannot name, being package-private). */
    LogLines(String loggerName) {
        this(loggerName, Level.INFO);
    }

    /** Down to {@code level} (DEBUG for facts the product logs only there). */
    LogLines(String loggerName, Level level) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        previousLevel = logger.getLevel();
        // A logback config may set the level higher than the lines asserted on.
        if (!logger.isEnabledFor(level)) logger.setLevel(level);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The first line matching, waiting up to {@code timeout} (the product may log after the effect a test saw). */
    String await(Predicate<String> match, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (match.test(line)) return line;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no log line " + what + " within " + timeout);
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(previousLevel);
    }
}
