package org.conclave.sfu.ice;

import java.security.SecureRandom;

/**
 * ICE ufrag and password (RFC 8445 §5.3, RFC 8839 §5.4): ice-chars only, ufrag at least 4 and pwd at least 22
 * characters. Ours are longer than the minimum; the ufrag doubles as the key that routes STUN on the shared port.
 */
public record IceCredentials(String ufrag, String pwd) {
    public static final int UFRAG_LENGTH = 8;
    public static final int PWD_LENGTH = 24;
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final SecureRandom RANDOM = new SecureRandom();

    public IceCredentials {
        if (!valid(ufrag, 4, 256) || !valid(pwd, 22, 256)) throw new IllegalArgumentException("invalid ICE credentials");
    }

    public static IceCredentials random() {
        return new IceCredentials(randomString(UFRAG_LENGTH), randomString(PWD_LENGTH));
    }

    private static String randomString(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) chars[i] = ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length()));
        return new String(chars);
    }

    private static boolean valid(String s, int min, int max) {
        if (s == null || s.length() < min || s.length() > max) return false;
        for (int i = 0; i < s.length(); i++) {
            if (ICE_CHARS.indexOf(s.charAt(i)) < 0) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + "]"; // keep the password out of logs
    }
}
