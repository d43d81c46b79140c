package org.conclave.appservice.intent;

/** Hooks into {@link HomeserverClient} (metrics). Called on Vert.x event loops: must not block. */
public interface RequestObserver {
    RequestObserver NONE = new RequestObserver() {};

    /** One try of a request got an answer with {@code status}, or none ({@code status} 0), after {@code nanos}. */
    default void onTry(int status, long nanos) {}

    /** A request failed for good (no more tries): the last status, 0 when the homeserver never answered. */
    default void onFailed(int status) {}
}
