package org.conclave.sfu.sctp.chunk;

import static org.conclave.sfu.sctp.chunk.ReConfigParameter.ADD_INCOMING_STREAMS_REQUEST;
import static org.conclave.sfu.sctp.chunk.ReConfigParameter.ADD_OUTGOING_STREAMS_REQUEST;
import static org.conclave.sfu.sctp.chunk.ReConfigParameter.INCOMING_SSN_RESET_REQUEST;
import static org.conclave.sfu.sctp.chunk.ReConfigParameter.OUTGOING_SSN_RESET_REQUEST;
import static org.conclave.sfu.sctp.chunk.ReConfigParameter.RECONFIG_RESPONSE;
import static org.conclave.sfu.sctp.chunk.ReConfigParameter.SSN_TSN_RESET_REQUEST;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.conclave.sfu.sctp.chunk.ReConfigParameter.IncomingResetRequest;
import org.conclave.sfu.sctp.chunk.ReConfigParameter.OtherRequest;
import org.conclave.sfu.sctp.chunk.ReConfigParameter.OutgoingResetRequest;
import org.conclave.sfu.sctp.chunk.ReConfigParameter.Response;

/**
 * RE-CONFIG (RFC 6525 §3.1): one or two re-configuration parameters. More than {@link #MAX_PARAMETERS}, none, or an
 * unknown parameter type is malformed.
 */
public record ReConfigChunk(List<ReConfigParameter> parameters) implements Chunk {
    public static final int MAX_PARAMETERS = 2;

    public ReConfigChunk {
        parameters = List.copyOf(parameters);
    }

    static ReConfigChunk parse(byte[] b, int v, int valueLength) throws SctpFormatException {
        List<ReConfigParameter> params = new ArrayList<>(2);
        TlvReader p = new TlvReader(b, v, v + valueLength);
        while (p.next()) {
            if (params.size() == MAX_PARAMETERS) throw new SctpFormatException("RE-CONFIG with too many parameters");
            params.add(parameter(p, b));
        }
        if (params.isEmpty()) throw new SctpFormatException("RE-CONFIG without parameters");
        return new ReConfigChunk(params);
    }

    @Override
    public int type() {
        return ChunkType.RE_CONFIG;
    }

    @Override
    public int length() {
        int n = 4;
        for (ReConfigParameter p : parameters) n = Wire.padded(n) + p.length();
        return n;
    }

    @Override
    public int write(byte[] b, int off) {
        int length = length();
        Wire.chunkHeader(b, off, ChunkType.RE_CONFIG, 0, length);
        int p = off + 4;
        for (ReConfigParameter param : parameters) {
            param.write(b, p);
            int l = param.length();
            for (int i = p + l; i < p + Wire.padded(l); i++) b[i] = 0;
            p += Wire.padded(l);
        }
        return Wire.padded(length);
    }

    private static ReConfigParameter parameter(TlvReader p, byte[] b) throws SctpFormatException {
        int v = p.valueOffset;
        int n = p.valueLength;
        switch (p.type) {
            case OUTGOING_SSN_RESET_REQUEST -> {
                if (n < 12 || n % 2 != 0) throw new SctpFormatException("bad Outgoing SSN Reset Request length");
                return new OutgoingResetRequest(Wire.i32(b, v), Wire.i32(b, v + 4), Wire.i32(b, v + 8),
                        streams(b, v + 12, (n - 12) / 2));
            }
            case INCOMING_SSN_RESET_REQUEST -> {
                if (n < 4 || n % 2 != 0) throw new SctpFormatException("bad Incoming SSN Reset Request length");
                return new IncomingResetRequest(Wire.i32(b, v), streams(b, v + 4, (n - 4) / 2));
            }
            case SSN_TSN_RESET_REQUEST, ADD_OUTGOING_STREAMS_REQUEST, ADD_INCOMING_STREAMS_REQUEST -> {
                int expected = p.type == SSN_TSN_RESET_REQUEST ? 4 : 8;
                if (n != expected) throw new SctpFormatException("bad length for re-config request " + p.type);
                return new OtherRequest(p.type, Wire.i32(b, v), Arrays.copyOfRange(b, v + 4, v + n));
            }
            case RECONFIG_RESPONSE -> {
                if (n != 8 && n != 16) throw new SctpFormatException("bad Re-configuration Response length");
                if (n == 8) return Response.of(Wire.i32(b, v), Wire.i32(b, v + 4));
                return new Response(Wire.i32(b, v), Wire.i32(b, v + 4), true, Wire.i32(b, v + 8), Wire.i32(b, v + 12));
            }
            default -> throw new SctpFormatException("unknown re-config parameter " + p.type);
        }
    }

    private static int[] streams(byte[] b, int off, int count) {
        int[] s = new int[count];
        for (int i = 0; i < count; i++) s[i] = Wire.u16(b, off + 2 * i);
        return s;
    }
}
