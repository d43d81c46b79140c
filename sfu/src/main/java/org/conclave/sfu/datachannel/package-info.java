/**
 * WebRTC data channels of the SFU's endpoints: one {@link org.conclave.sfu.datachannel.DataChannelTransport} per
 * endpoint drives its {@link org.conclave.sfu.sctp.SctpAssociation} over the endpoint's DTLS session. All SCTP work of
 * all endpoints runs on one shared thread ("sfu-sctp"): DTLS threads only copy records into a bounded per-endpoint
 * backlog, and sends from other threads hop onto it. {@link org.conclave.sfu.datachannel.DataChannels} creates the
 * transports and routes their text messages to a pluggable
 * {@link org.conclave.sfu.datachannel.ControlMessageHandler} (the conference rooms: conference.ControlRooms).
 */
package org.conclave.sfu.datachannel;
