package org.conclave.sfu.sdp;

/** One rid in an a=simulcast list; paused is the '~' prefix. */
public record SimulcastRid(String id, boolean paused) {
    public SimulcastRid {
        SdpText.token(id, "simulcast rid");
    }
}
