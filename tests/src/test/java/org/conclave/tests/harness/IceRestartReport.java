package org.conclave.tests.harness;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One ICE restart a browser page made (tests/js/web/peer.js, restartIceOnDisconnect): like matrix-js-sdk, 2 s after
 * ICE went "disconnected" (at once on "failed") it called {@code pc.restartIce()} and renegotiated.
 *
 * @param startedAtEpochMs when {@code restartIce()} was called (Date.now() in the page)
 * @param answeredMs from then until the SFU's answer was applied
 * @param connectedMs until ICE was connected again, or null
 * @param packetsResumedMs until every inbound track had received packets again, or null if that never happened
 * @param framesResumedMs until every inbound video track had decoded frames again, or null
 * @param oldSfuUfrag the SFU's ICE ufrag before (from the remote description)
 * @param newSfuUfrag the SFU's ICE ufrag in its answer to the restart
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IceRestartReport(long startedAtEpochMs, long answeredMs, Long connectedMs, Long packetsResumedMs,
        Long framesResumedMs, String oldSfuUfrag, String newSfuUfrag) {}
