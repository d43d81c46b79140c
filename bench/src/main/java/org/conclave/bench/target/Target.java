package org.conclave.bench.target;

import java.util.List;
import org.conclave.bench.load.Generator;
import org.conclave.bench.scenario.Participant;

/**
 * A server under test, driven through its own signalling: our SFU, Janus, or the limit forwarder. The runner only
 * sees this interface, so every target gets the same participants, packets and measurement.
 */
public interface Target extends AutoCloseable {
    /** "ours", "janus", "limit". */
    String name();

    /** One line for the report: what exactly ran (version, process layout). */
    String description();

    /** Starts the server (its own process unless in-process); media transports are made through {@code generator}. */
    void start(Generator generator) throws Exception;

    /** The process whose CPU and memory are measured. */
    long pid();

    /** Whether {@link #pid} is a JVM of its own, whose live heap jcmd can measure. */
    default boolean ownJvm() {
        return false;
    }

    /**
     * Brings {@code joining} into their rooms (publishing what they publish) and then makes every participant of
     * {@code everyone} receive exactly the tracks it wants that someone in {@code everyone} publishes. Returns when
     * every transport is connected and every subscription is in place.
     */
    void join(List<Participant> joining, List<Participant> everyone) throws Exception;

    /** The server's own packet counters, when it exposes them (for the log). */
    default String counters() {
        return "";
    }

    @Override
    void close();
}
