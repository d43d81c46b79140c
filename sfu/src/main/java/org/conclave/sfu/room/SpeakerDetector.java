package org.conclave.sfu.room;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Who is speaking and who is the dominant speaker. Endpoints whose audio carries RFC 6464 levels are judged by them
 * (absent from an update = silent); endpoints that never had a level are judged by their own "I am talking" claims,
 * which count as the quietest voice. The loudest voice must stay the loudest for {@code speakerHold} to take over;
 * when everyone falls silent the dominant speaker stays. Control-thread only.
 */
public final class SpeakerDetector {
    /** Levels older than this (the media thread stopped reporting) count as silence: ~5 missed 200 ms reports. */
    static final long LEVELS_STALE_NANOS = 1_000_000_000L;

    private final int voiceLevel;
    private final long holdNanos;
    private final long hangoverNanos;
    private final long claimTimeoutNanos;

    private Map<String, Integer> latest = Map.of();
    private long latestAt = Long.MIN_VALUE;
    private final Set<String> measured = new HashSet<>();
    private final Map<String, Long> lastVoiceAt = new HashMap<>();
    private final Map<String, Long> claimedAt = new HashMap<>();
    private String dominant;
    private String candidate;
    private long candidateSince;

    public SpeakerDetector(RoomOptions options) {
        this.voiceLevel = options.voiceLevel();
        this.holdNanos = options.speakerHold().toNanos();
        this.hangoverNanos = options.speakingHangover().toNanos();
        this.claimTimeoutNanos = options.speakingClaimTimeout().toNanos();
    }

    /** One averaged report from the media thread: level 0 (loudest) .. 127 (silence) per endpoint. */
    public void levels(Map<String, Integer> levelByEndpoint, long now) {
        latest = Map.copyOf(levelByEndpoint);
        latestAt = now;
        for (Map.Entry<String, Integer> e : latest.entrySet()) {
            measured.add(e.getKey());
            if (e.getValue() <= voiceLevel) lastVoiceAt.put(e.getKey(), now);
        }
    }

    /** A client's own claim; only used while the SFU has never seen a level for it. */
    public void claim(String endpointId, boolean speaking, long now) {
        if (speaking) claimedAt.put(endpointId, now);
        else claimedAt.remove(endpointId);
    }

    public void remove(String endpointId) {
        measured.remove(endpointId);
        lastVoiceAt.remove(endpointId);
        claimedAt.remove(endpointId);
        if (endpointId.equals(dominant)) dominant = null;
        if (endpointId.equals(candidate)) candidate = null;
    }

    /** Moves the dominant speaker if a new loudest voice has held for long enough. */
    public void evaluate(long now, Predicate<String> eligible) {
        String loudest = loudest(now, eligible);
        if (loudest == null || loudest.equals(dominant)) {
            candidate = null;
            return;
        }
        if (!loudest.equals(candidate)) {
            candidate = loudest;
            candidateSince = now;
        }
        if (now - candidateSince >= holdNanos) {
            dominant = candidate;
            candidate = null;
        }
    }

    /** The dominant speaker, or null before anyone spoke long enough. */
    public String dominant() {
        return dominant;
    }

    /** Whether the endpoint is speaking now (voice within the hangover, or an unexpired claim). */
    public boolean speaking(String endpointId, long now) {
        if (measured.contains(endpointId)) {
            Long at = lastVoiceAt.get(endpointId);
            return at != null && now - at < hangoverNanos;
        }
        Long at = claimedAt.get(endpointId);
        return at != null && now - at < claimTimeoutNanos;
    }

    /** The loudest eligible voice right now; ties keep the dominant, then the candidate, then the smallest id. */
    private String loudest(long now, Predicate<String> eligible) {
        Map<String, Integer> voices = new HashMap<>();
        if (now - latestAt < LEVELS_STALE_NANOS) {
            latest.forEach((id, level) -> {
                if (level <= voiceLevel) voices.put(id, level);
            });
        }
        claimedAt.forEach((id, at) -> {
            if (!measured.contains(id) && now - at < claimTimeoutNanos) voices.put(id, voiceLevel);
        });
        String best = null;
        int bestLevel = Integer.MAX_VALUE;
        for (String id : new TreeSet<>(voices.keySet())) {
            if (!eligible.test(id)) continue;
            int level = voices.get(id);
            if (level < bestLevel || (level == bestLevel && preferred(id, best))) {
                best = id;
                bestLevel = level;
            }
        }
        return best;
    }

    private boolean preferred(String id, String current) {
        if (id.equals(dominant)) return true;
        return id.equals(candidate) && !current.equals(dominant);
    }
}
