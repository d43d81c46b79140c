package org.conclave.sfu.conference;

import org.conclave.sfu.control.FailureReason;

/** The endpoints as the data channels see them. */
final class RoomMembers implements ControlRooms.Members {
    private final ConferenceService service;

    RoomMembers(ConferenceService service) {
        this.service = service;
    }

    @Override
    public boolean has(String endpointId) {
        return service.endpoint(endpointId) != null;
    }

    @Override
    public void onMessage(String endpointId, String text) {
        Endpoint e = service.endpoint(endpointId);
        if (e != null) e.conference.room.onMessage(endpointId, text);
    }

    @Override
    public void channelOpened(String endpointId) {
        Endpoint e = service.endpoint(endpointId);
        if (e != null) e.conference.room.channelOpened(endpointId);
    }

    @Override
    public void keepAliveExpired(String endpointId, String detail) {
        Endpoint e = service.endpoint(endpointId);
        if (e != null) service.fail(e, FailureReason.KEEP_ALIVE_TIMEOUT, detail);
    }
}
