/**
 * The WebRTC subset of SDP as the SFU uses it: a typed model ({@link org.conclave.sfu.sdp.SessionDescription},
 * {@link org.conclave.sfu.sdp.MediaDescription}), a strict-where-it-matters parser of untrusted text
 * ({@link org.conclave.sfu.sdp.SdpParser}) and its writer, the answer to a client's offer
 * ({@link org.conclave.sfu.sdp.AnswerBuilder}), the SFU's re-offers when what it sends changes
 * ({@link org.conclave.sfu.sdp.OfferBuilder}), and the plain-data outcome the transport and forwarding code read
 * ({@link org.conclave.sfu.sdp.Negotiated}). The SFU is ICE-lite and the DTLS server, requires BUNDLE and rtcp-mux, and
 * never decodes media, so negotiation only decides what it can forward unchanged.
 */
package org.conclave.sfu.sdp;
