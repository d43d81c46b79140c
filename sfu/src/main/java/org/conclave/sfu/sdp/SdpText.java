package org.conclave.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks and splits the text pieces of SDP. Model constructors use the checks so that anything a builder makes can be
 * written and parsed back to an equal model; the parser turns the IllegalArgumentExceptions into SdpParseExceptions.
 */
final class SdpText {
    private SdpText() {}

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** A token: non-empty, no whitespace or control characters. */
    static String token(String s, String what) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException(what + " is missing");
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) <= ' ') throw new IllegalArgumentException(what + " must not contain spaces: '" + s + "'");
        }
        return s;
    }

    /** Free text that stays on one line and keeps its exact form through write and parse. */
    static String text(String s, String what, boolean leadingSpaceAllowed) {
        if (s == null) throw new IllegalArgumentException(what + " is missing");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' && c != '\t') throw new IllegalArgumentException(what + " contains a control character");
        }
        if (!s.isEmpty() && isSpace(s.charAt(s.length() - 1))) {
            throw new IllegalArgumentException(what + " must not end with a space");
        }
        if (!leadingSpaceAllowed && !s.isEmpty() && isSpace(s.charAt(0))) {
            throw new IllegalArgumentException(what + " must not start with a space");
        }
        return s;
    }

    static String optionalText(String s, String what) {
        return s == null ? null : text(s, what, false);
    }

    /** Optional free text that must not be empty when present (empty would not survive a write). */
    static String optionalNonEmptyText(String s, String what) {
        if (s == null) return null;
        if (s.isEmpty()) throw new IllegalArgumentException(what + " must not be empty when present");
        return text(s, what, false);
    }

    /** Splits on runs of spaces or tabs. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) i++;
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) i++;
            if (i > start) out.add(s.substring(start, i));
        }
        return out;
    }

    /** [first token, rest without leading spaces or null]. */
    static String[] head(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) i++;
        int start = i;
        while (i < n && !isSpace(s.charAt(i))) i++;
        String first = s.substring(start, i);
        while (i < n && isSpace(s.charAt(i))) i++;
        return new String[] {first, i < n ? s.substring(i) : null};
    }

    /** A decimal number from 0 to max, without sign; the message names what was expected. */
    static long number(String s, long max, String what) {
        if (s == null || s.isEmpty() || s.length() > 20) throw notNumber(s, max, what);
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw notNumber(s, max, what);
            int d = c - '0';
            if (d > max || v > (max - d) / 10) throw notNumber(s, max, what);
            v = v * 10 + d;
        }
        return v;
    }

    private static IllegalArgumentException notNumber(String s, long max, String what) {
        return new IllegalArgumentException(what + " must be a number from 0 to " + max + ", got '" + s + "'");
    }

    static int payloadType(String s) {
        return (int) number(s, 127, "payload type");
    }

    static int requirePayloadType(int pt) {
        if (pt < 0 || pt > 127) throw new IllegalArgumentException("payload type " + pt + " is outside 0..127");
        return pt;
    }

    static long requireSsrc(long ssrc) {
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) throw new IllegalArgumentException("SSRC " + ssrc + " is outside 0..2^32-1");
        return ssrc;
    }
}
