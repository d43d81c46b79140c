package org.conclave.sfu.room;

/** A track named by its msid stream and track id, as subscriptions name it. */
record TrackRef(String streamId, String trackId) {}
