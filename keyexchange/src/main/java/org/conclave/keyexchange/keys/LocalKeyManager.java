package org.conclave.keyexchange.keys;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle of the local participant's own media key, as a state machine driven by the client (no threads):
 * report membership changes, call {@link #poll} when {@link #nextDeadlineMillis} is reached, send the deliveries, and
 * install {@link KeyActions#encryptWith} when it {@link KeyActions#switched}.
 *
 * <ul>
 *   <li><b>Join: share, not ratchet.</b> A joiner gets the current key (and a pending one, if any), exactly as Element
 *       Call does. Ratcheting on join would keep a joiner from reading media sent before it joined, but the ratchet
 *       step is not carried by the Element Call / MSC4143 events (only {index, key}), so a joiner could not tell which
 *       step its key is; sharing stays wire-compatible with both transports. Exposure of earlier media to a joiner is
 *       bounded by the periodic rotation, and a joiner only ever received frames forwarded after it joined.</li>
 *   <li><b>Leave: rotate.</b> {@link KeyTimings#makeKeyDelayMillis} after a leave a new random key with index
 *       (last + 1) mod 256 is made and sent to the remaining members only; it is used
 *       {@link KeyTimings#useKeyDelayMillis} after that. Frames from then on are unreadable to whoever left: the new key
 *       is random, not derived from anything they hold. A leave while a new key is pending makes yet another key.</li>
 *   <li><b>Periodic rotation</b> after {@link KeyTimings#rotationPeriodMillis} of use, through the same delays.</li>
 *   <li><b>Re-sends to joiners are throttled</b>: joiners arriving close together share one delivery, at most one per
 *       {@link KeyTimings#resendMinIntervalMillis}.</li>
 * </ul>
 * Not thread-safe: call from one thread (the client's signalling loop).
 */
public final class LocalKeyManager {
    private static final long NEVER = Long.MAX_VALUE;

    private final WallClock clock;
    private final SecureRandom random;
    private final KeyTimings timings;
    private final Set<String> members = new LinkedHashSet<>();
    private final Set<String> awaitingResend = new LinkedHashSet<>();

    private MediaKey current;
    private long currentSince;
    private MediaKey pending;
    private long pendingUseAt = NEVER;
    private long makeKeyAt = NEVER;
    private long lastResendAt = Long.MIN_VALUE / 2;
    private int lastIndex = -1;

    public LocalKeyManager(WallClock clock, SecureRandom random, KeyTimings timings) {
        this.clock = clock;
        this.random = random;
        this.timings = timings;
    }

    /** Makes the first key (index 0), used at once, and delivers it to {@code initialMembers}. */
    public KeyActions start(Collection<String> initialMembers) {
        if (current != null) {
            throw new IllegalStateException("already started");
        }
        members.addAll(initialMembers);
        current = makeKey();
        currentSince = clock.currentTimeMillis();
        List<KeyDelivery> deliveries = new ArrayList<>();
        if (!members.isEmpty()) {
            deliveries.add(new KeyDelivery(List.of(current), members));
        }
        return new KeyActions(deliveries, current, true);
    }

    /** A member joined: it gets the current key at the next allowed re-send. */
    public void memberJoined(String memberId) {
        requireStarted();
        if (members.add(memberId)) {
            awaitingResend.add(memberId);
        }
    }

    /** A member left: a new key will be made and used so it cannot read what follows. */
    public void memberLeft(String memberId) {
        requireStarted();
        if (members.remove(memberId)) {
            awaitingResend.remove(memberId);
            makeKeyAt = Math.min(makeKeyAt, clock.currentTimeMillis() + timings.makeKeyDelayMillis());
        }
    }

    /** Does whatever is due now. */
    public KeyActions poll() {
        requireStarted();
        long now = clock.currentTimeMillis();
        List<KeyDelivery> deliveries = new ArrayList<>();
        if (pending == null && makeKeyAt == NEVER && now >= currentSince + timings.rotationPeriodMillis()) {
            makeKeyAt = now;
        }
        if (now >= makeKeyAt) {
            pending = makeKey();
            pendingUseAt = now + timings.useKeyDelayMillis();
            makeKeyAt = NEVER;
            if (!members.isEmpty()) {
                deliveries.add(new KeyDelivery(List.of(pending), members));
            }
        }
        boolean switched = false;
        if (pending != null && now >= pendingUseAt) {
            current = pending;
            currentSince = now;
            pending = null;
            pendingUseAt = NEVER;
            switched = true;
        }
        if (!awaitingResend.isEmpty() && now >= lastResendAt + timings.resendMinIntervalMillis()) {
            List<MediaKey> keys = pending == null ? List.of(current) : List.of(current, pending);
            deliveries.add(new KeyDelivery(keys, awaitingResend));
            awaitingResend.clear();
            lastResendAt = now;
        }
        return new KeyActions(deliveries, current, switched);
    }

    /** When {@link #poll} next has something to do; {@link Long#MAX_VALUE} if nothing is scheduled. */
    public long nextDeadlineMillis() {
        requireStarted();
        long next = makeKeyAt;
        if (pending != null) {
            next = Math.min(next, pendingUseAt);
        } else if (makeKeyAt == NEVER) {
            next = currentSince + timings.rotationPeriodMillis();
        }
        if (!awaitingResend.isEmpty()) {
            next = Math.min(next, lastResendAt + timings.resendMinIntervalMillis());
        }
        return next;
    }

    /** The key frames are encrypted with now. */
    public MediaKey currentKey() {
        requireStarted();
        return current;
    }

    /** A key already sent but not used yet. */
    public Optional<MediaKey> pendingKey() {
        return Optional.ofNullable(pending);
    }

    /** The remote members keys are delivered to. */
    public Set<String> members() {
        return Set.copyOf(members);
    }

    private MediaKey makeKey() {
        lastIndex = lastIndex < 0 ? 0 : MediaKey.nextIndex(lastIndex);
        return MediaKey.random(lastIndex, random);
    }

    private void requireStarted() {
        if (current == null) {
            throw new IllegalStateException("call start first");
        }
    }
}
