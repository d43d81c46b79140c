package org.conclave.appservice;

import java.util.Objects;
import java.util.function.Function;
import org.conclave.appservice.event.EventHandler;
import org.conclave.appservice.event.LoggingEventHandler;
import org.conclave.appservice.txn.TransactionObserver;

/**
 * What the appservice does with homeserver transactions, supplied at start-up.
 *
 * @param handlerFactory makes the event handler once the server runs (it may use {@link ConclaveServer#sfu()} and
 *     {@link ConclaveServer#matrix()})
 * @param observer hooks into the transaction pipeline
 */
public record AppserviceHooks(Function<ConclaveServer, EventHandler> handlerFactory, TransactionObserver observer) {
    /**
     * What {@link Main} runs unless told otherwise: it stands for the call handler built with the configuration's
     * {@code calls} section; used directly (without Main) it only logs events.
     */
    public static final AppserviceHooks DEFAULT =
            new AppserviceHooks(server -> new LoggingEventHandler(), TransactionObserver.NONE);

    public AppserviceHooks {
        Objects.requireNonNull(handlerFactory, "handlerFactory");
        Objects.requireNonNull(observer, "observer");
    }
}
