package org.conclave.appservice.event;

/**
 * How an event reached the handler.
 *
 * @param txnId the homeserver's transaction id that carried it (not unique: homeservers restart their count)
 * @param redelivered true when an earlier run of the appservice accepted this event and stopped (crash, kill) before
 *     recording it as processed: the handler may already have acted on it and must act idempotently (derive
 *     client-server transaction ids from the event id, look before creating). False guarantees a first delivery.
 */
public record Delivery(String txnId, boolean redelivered) {}
