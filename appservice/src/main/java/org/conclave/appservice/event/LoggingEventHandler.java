package org.conclave.appservice.event;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The handler until call signalling exists: logs what arrives (ids and types only, never content). */
public final class LoggingEventHandler implements EventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingEventHandler.class);

    @Override
    public Future<Void> onRoomEvent(RoomEvent event, Delivery delivery) {
        LOG.debug("{} (transaction {}{})", event, delivery.txnId(), delivery.redelivered() ? ", redelivered" : "");
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> onEphemeral(EphemeralEvent event, Delivery delivery) {
        LOG.trace("{} (transaction {})", event, delivery.txnId());
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> onToDevice(EphemeralEvent message, Delivery delivery) {
        LOG.trace("to-device {} (transaction {})", message.type(), delivery.txnId());
        return Future.succeededFuture();
    }
}
