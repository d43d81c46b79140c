package org.conclave.appservice.txn;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.conclave.appservice.event.Delivery;
import org.conclave.appservice.event.EphemeralEvent;
import org.conclave.appservice.event.EventHandler;
import org.conclave.appservice.event.RoomEvent;

/**
 * Test handler: records every hand-over (state events offered ahead as {@code state:<event id>}); per event id, an
 * optional scripted answer (default: success).
 */
public final class RecordingHandler implements EventHandler {
    /** One hand-over: the event id (or EDU/to-device type), and whether it was marked redelivered. */
    public record Call(String id, String room, boolean redelivered) {}

    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Supplier<Future<Void>>> answers = new ConcurrentHashMap<>();

    public void answer(String eventId, Supplier<Future<Void>> answer) {
        answers.put(eventId, answer);
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<String> ids() {
        return calls().stream().map(Call::id).toList();
    }

    private synchronized void record(Call call) {
        calls.add(call);
    }

    @Override
    public void onStateEvents(List<RoomEvent> events) {
        events.forEach(e -> record(new Call("state:" + e.eventId(), e.roomId(), false)));
    }

    @Override
    public Future<Void> onRoomEvent(RoomEvent event, Delivery delivery) {
        record(new Call(event.eventId(), event.roomId(), delivery.redelivered()));
        Supplier<Future<Void>> answer = answers.get(event.eventId());
        return answer == null ? Future.succeededFuture() : answer.get();
    }

    @Override
    public Future<Void> onEphemeral(EphemeralEvent event, Delivery delivery) {
        record(new Call("edu:" + event.type(), event.roomId(), delivery.redelivered()));
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> onToDevice(EphemeralEvent message, Delivery delivery) {
        record(new Call("to-device:" + message.type(), null, delivery.redelivered()));
        return Future.succeededFuture();
    }
}
