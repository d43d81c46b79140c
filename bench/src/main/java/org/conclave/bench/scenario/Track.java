package org.conclave.bench.scenario;

/**
 * One published track. Until the SFU picks simulcast layers itself, thumbnail and full-res are two separate tracks
 * (two m-lines) of one participant.
 *
 * @param index global index within the scenario, carried in every packet so receivers know what they got
 * @param owner id of the publishing participant
 * @param mid the mid of its m-line in the publisher's offer ("0", "1", ...)
 */
public record Track(int index, int owner, TrackKind kind, String mid) {}
