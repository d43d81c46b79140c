package org.conclave.appservice.ops.logging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.conclave.sfu.ops.EndpointDirectory;

/**
 * Which conference a call id or an SFU endpoint id belongs to, for log lines that name one of them but run where no
 * MDC says so (SFU threads, callbacks). Calls are learnt from the events that carry both ids (invites); endpoints
 * come from the SFU's live {@link EndpointDirectory}. Process-wide because logback builds the encoders itself.
 */
public final class CallIds {
    /** Calls remembered (oldest forgotten first): far more than run at once on one node. */
    static final int MAX_CALLS = 10_000;

    private static final Map<String, String> CONFERENCE_OF_CALL = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > MAX_CALLS;
                }
            });
    private static volatile EndpointDirectory endpoints = null;

    private CallIds() {}

    /** The running SFU's endpoints (null: none). */
    public static void useEndpoints(EndpointDirectory directory) {
        endpoints = directory;
    }

    public static void rememberCall(String callId, String conferenceId) {
        if (callId != null && conferenceId != null && !conferenceId.isEmpty()) CONFERENCE_OF_CALL.put(callId, conferenceId);
    }

    /** The conference of a known call, or null. */
    public static String conferenceOfCall(String callId) {
        return callId == null ? null : CONFERENCE_OF_CALL.get(callId);
    }

    /** The endpoint's directory entry, or null. */
    public static EndpointDirectory.Entry endpoint(String endpointId) {
        EndpointDirectory d = endpoints;
        return d == null ? null : d.get(endpointId);
    }
}
