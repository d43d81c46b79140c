package org.conclave.appservice.intent;

/**
 * When to try a client-server API request again, and after how long. Pure: the caller owns the timers.
 *
 * <p>Retried: no connection or no answer in time, 429 (after {@code retry_after_ms} when given) and 5xx except 501
 * (not implemented: trying again cannot help). Waits double from {@link #BASE_DELAY_MS} up to the cap. Every request
 * Conclave makes is safe to repeat (sends carry a transaction id, the rest are reads or idempotent puts).
 *
 * @param maxAttempts tries in total, the first included
 * @param maxDelayMs cap on the doubling wait (a 429's own retry_after_ms is honoured up to {@link #MAX_RETRY_AFTER_MS})
 */
public record RetryPolicy(int maxAttempts, long maxDelayMs) {
    public static final long BASE_DELAY_MS = 250;
    /** A homeserver asking for more than this is misbehaving; waiting longer would look like a hang. */
    public static final long MAX_RETRY_AFTER_MS = 600_000;
    private static final int MAX_DOUBLINGS = 30;

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts < 1");
        if (maxDelayMs < 1) throw new IllegalArgumentException("maxDelayMs < 1");
    }

    /** Whether a failed try with this HTTP status (0 = no connection / no answer) is worth repeating. */
    public static boolean retryable(int status) {
        return status == 0 || status == 429 || (status >= 500 && status != 501);
    }

    /**
     * Wait before try number {@code attempt + 1}, or -1 when {@code attempt} (1-based) was the last one allowed.
     *
     * @param retryAfterMs the homeserver's {@code retry_after_ms} (or Retry-After), -1 if none
     */
    public long delayAfter(int attempt, int status, long retryAfterMs) {
        if (attempt >= maxAttempts || !retryable(status)) return -1;
        if (status == 429 && retryAfterMs >= 0) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
        return backoff(attempt);
    }

    /** The doubling wait after try number {@code attempt} (1-based), capped; ignores the attempt limit. */
    public long backoff(int attempt) {
        long base = Math.min(BASE_DELAY_MS, maxDelayMs);
        int doublings = Math.min(Math.max(attempt, 1) - 1, MAX_DOUBLINGS);
        return Math.min(maxDelayMs, base << doublings);
    }
}
