package org.conclave.appservice.ops.logging;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.conclave.appservice.event.Delivery;
import org.conclave.appservice.event.EphemeralEvent;
import org.conclave.appservice.event.EventHandler;
import org.conclave.appservice.event.RoomEvent;
import org.slf4j.MDC;

/**
 * Puts the ids of the call an event is about into the MDC ({@value #ROOM_ID}, {@value #CALL_ID},
 * {@value #CONFERENCE_ID}) while the handler runs on it, and remembers which conference each call belongs to
 * ({@link CallIds}), so that log lines written later about that call (callbacks, SFU threads) carry the conference
 * too ({@link JsonLogEncoder}).
 */
public final class CallMdc implements EventHandler {
    public static final String ROOM_ID = "room_id";
    public static final String CALL_ID = "call_id";
    public static final String CONFERENCE_ID = "conference_id";
    public static final String ENDPOINT_ID = "endpoint_id";

    private final EventHandler inner;

    public CallMdc(EventHandler inner) {
        this.inner = inner;
    }

    @Override
    public void onStateEvents(List<RoomEvent> events) {
        inner.onStateEvents(events);
    }

    @Override
    public void onStarted() {
        inner.onStarted();
    }

    @Override
    public Future<Void> stop() {
        return inner.stop();
    }

    @Override
    public Future<Void> onRoomEvent(RoomEvent event, Delivery delivery) {
        try (Scope ignored = scope(event.roomId(), event.json().getValue("content"))) {
            return inner.onRoomEvent(event, delivery);
        }
    }

    @Override
    public Future<Void> onEphemeral(EphemeralEvent event, Delivery delivery) {
        return inner.onEphemeral(event, delivery);
    }

    @Override
    public Future<Void> onToDevice(EphemeralEvent message, Delivery delivery) {
        try (Scope ignored = scope(null, message.json().getValue("content"))) {
            return inner.onToDevice(message, delivery);
        }
    }

    private static Scope scope(String roomId, Object content) {
        String callId = null;
        String conference = null;
        if (content instanceof JsonObject c) {
            callId = c.getValue("call_id") instanceof String s ? s : null;
            conference = c.getValue("conf_id") instanceof String s ? s : null;
        }
        CallIds.rememberCall(callId, conference);
        if (conference == null) conference = CallIds.conferenceOfCall(callId);
        put(ROOM_ID, roomId);
        put(CALL_ID, callId);
        put(CONFERENCE_ID, conference);
        return () -> {
            MDC.remove(ROOM_ID);
            MDC.remove(CALL_ID);
            MDC.remove(CONFERENCE_ID);
        };
    }

    private static void put(String key, String value) {
        if (value != null) MDC.put(key, value);
    }

    private interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
