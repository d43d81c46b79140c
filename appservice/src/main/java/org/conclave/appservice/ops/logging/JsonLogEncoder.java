package org.conclave.appservice.ops.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.conclave.sfu.ops.EndpointDirectory;

/**
 * One JSON object per line: {@code ts}, {@code level}, {@code logger}, {@code thread}, {@code message}, the MDC's
 * entries, and {@code conference_id} / {@code call_id} / {@code endpoint_id} for every line about a call: from the
 * MDC when the code set it ({@link CallMdc}), else from the line's own arguments when one of them is a known call or
 * endpoint id ({@link CallIds}). {@code exception} holds the stack trace when there is one.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        fields.put("level", event.getLevel().toString());
        fields.put("logger", event.getLoggerName());
        fields.put("thread", event.getThreadName());
        fields.put("message", event.getFormattedMessage());
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) fields.putAll(mdc);
        enrich(fields, event.getArgumentArray());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) fields.put("exception", ThrowableProxyUtil.asString(thrown));
        StringBuilder out = new StringBuilder(256).append('{');
        boolean first = true;
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (f.getValue() == null) continue;
            if (!first) out.append(',');
            first = false;
            quote(out, f.getKey()).append(':');
            quote(out, f.getValue());
        }
        return out.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Adds the ids a line's arguments name (a call id, an endpoint id) where the MDC did not set them. */
    static void enrich(Map<String, String> fields, Object[] args) {
        if (args == null) return;
        for (Object arg : args) {
            if (!(arg instanceof String s) || s.isEmpty()) continue;
            EndpointDirectory.Entry endpoint = CallIds.endpoint(s);
            if (endpoint != null) {
                fields.putIfAbsent(CallMdc.ENDPOINT_ID, endpoint.endpointId());
                fields.putIfAbsent(CallMdc.CONFERENCE_ID, endpoint.conferenceId());
                continue;
            }
            String conference = CallIds.conferenceOfCall(s);
            if (conference != null) {
                fields.putIfAbsent(CallMdc.CALL_ID, s);
                fields.putIfAbsent(CallMdc.CONFERENCE_ID, conference);
            }
        }
    }

    static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"');
    }
}
