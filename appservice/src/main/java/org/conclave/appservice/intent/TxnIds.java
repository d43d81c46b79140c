package org.conclave.appservice.intent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client-server transaction ids for {@code PUT /rooms/{roomId}/send/{type}/{txnId}}. The homeserver treats a repeated
 * txnId (same user, same path) as the same send, so an id must be the same for every try of one logical send, across
 * retries and restarts: {@link #derived} computes it from what caused the send (the incoming event id and a purpose).
 */
public final class TxnIds {
    private static final String PREFIX = "conclave_";
    private static final int HASH_BYTES = 18; // 144 bits, 24 base64url characters
    private static final AtomicLong COUNTER = new AtomicLong();

    private TxnIds() {}

    /**
     * The id of the send caused by {@code sourceEventId} for {@code purpose} (e.g. "answer", "candidates:3"); equal
     * inputs give equal ids, different inputs practically never do.
     */
    public static String derived(String sourceEventId, String purpose) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(sourceEventId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] hash = sha.digest();
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.util.Arrays.copyOf(hash, HASH_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A fresh id for a send with no natural cause (still reused by the client's own retries of that send). */
    public static String fresh() {
        return PREFIX + System.currentTimeMillis() + "_" + COUNTER.incrementAndGet();
    }
}
