package org.conclave.sfu.sctp.chunk;

/** One parameter of a RE-CONFIG chunk (RFC 6525 §4). */
public sealed interface ReConfigParameter {
    int OUTGOING_SSN_RESET_REQUEST = 13;
    int INCOMING_SSN_RESET_REQUEST = 14;
    int SSN_TSN_RESET_REQUEST = 15;
    int RECONFIG_RESPONSE = 16;
    int ADD_OUTGOING_STREAMS_REQUEST = 17;
    int ADD_INCOMING_STREAMS_REQUEST = 18;

    int type();

    /** Length field: header and value, no padding. */
    int length();

    void write(byte[] b, int off);

    /** A request the association answers with a response carrying {@link #requestSequence()}. */
    sealed interface Request extends ReConfigParameter {
        int requestSequence();
    }

    /** The sender resets its outgoing streams (our incoming); empty {@code streamIds} means all streams. */
    record OutgoingResetRequest(int requestSequence, int responseSequence, int senderLastTsn, int[] streamIds)
            implements Request {
        @Override
        public int type() {
            return OUTGOING_SSN_RESET_REQUEST;
        }

        @Override
        public int length() {
            return 16 + 2 * streamIds.length;
        }

        @Override
        public void write(byte[] b, int off) {
            Wire.paramHeader(b, off, type(), length());
            Wire.put32(b, off + 4, requestSequence);
            Wire.put32(b, off + 8, responseSequence);
            Wire.put32(b, off + 12, senderLastTsn);
            for (int i = 0; i < streamIds.length; i++) Wire.put16(b, off + 16 + 2 * i, streamIds[i]);
        }
    }

    /** The sender asks us to reset our outgoing streams. */
    record IncomingResetRequest(int requestSequence, int[] streamIds) implements Request {
        @Override
        public int type() {
            return INCOMING_SSN_RESET_REQUEST;
        }

        @Override
        public int length() {
            return 8 + 2 * streamIds.length;
        }

        @Override
        public void write(byte[] b, int off) {
            Wire.paramHeader(b, off, type(), length());
            Wire.put32(b, off + 4, requestSequence);
            for (int i = 0; i < streamIds.length; i++) Wire.put16(b, off + 8 + 2 * i, streamIds[i]);
        }
    }

    /** SSN/TSN reset and add-streams requests: understood well enough to be refused ("Denied"). */
    record OtherRequest(int type, int requestSequence, byte[] rest) implements Request {
        @Override
        public int length() {
            return 8 + rest.length;
        }

        @Override
        public void write(byte[] b, int off) {
            Wire.paramHeader(b, off, type, length());
            Wire.put32(b, off + 4, requestSequence);
            System.arraycopy(rest, 0, b, off + 8, rest.length);
        }
    }

    /** Re-configuration Response; the TSN fields are optional and only meaningful for SSN/TSN resets. */
    record Response(int responseSequence, int result, boolean hasTsns, int senderNextTsn, int receiverNextTsn)
            implements ReConfigParameter {
        public static final int SUCCESS_NOTHING_TO_DO = 0;
        public static final int SUCCESS_PERFORMED = 1;
        public static final int DENIED = 2;
        public static final int ERROR_WRONG_SSN = 3;
        public static final int ERROR_REQUEST_IN_PROGRESS = 4;
        public static final int ERROR_BAD_SEQUENCE_NUMBER = 5;
        public static final int IN_PROGRESS = 6;

        public static Response of(int responseSequence, int result) {
            return new Response(responseSequence, result, false, 0, 0);
        }

        @Override
        public int type() {
            return RECONFIG_RESPONSE;
        }

        @Override
        public int length() {
            return hasTsns ? 20 : 12;
        }

        @Override
        public void write(byte[] b, int off) {
            Wire.paramHeader(b, off, type(), length());
            Wire.put32(b, off + 4, responseSequence);
            Wire.put32(b, off + 8, result);
            if (hasTsns) {
                Wire.put32(b, off + 12, senderNextTsn);
                Wire.put32(b, off + 16, receiverNextTsn);
            }
        }
    }
}
