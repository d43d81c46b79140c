package org.conclave.keyexchange.keys;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.conclave.keyexchange.sframe.CipherSuite;
import org.conclave.keyexchange.sframe.SFrameReceiver;

/**
 * The keys received from one remote sender, installed in that sender's {@link SFrameReceiver}. Besides the newest key
 * it keeps {@link #PAST_KEYS_KEPT} older ones, because frames encrypted just before the sender switched keys are still
 * in flight (and the sender only switches a few seconds after announcing). A re-sent key changes nothing (the replay
 * window survives); a known index with different bytes replaces the old key.
 */
public final class RemoteKeyring {
    /** Older keys kept next to the newest one. */
    public static final int PAST_KEYS_KEPT = 4;

    private final String senderId;
    private final SFrameReceiver receiver;
    /** Oldest first. */
    private final Deque<MediaKey> keys = new ArrayDeque<>();

    public RemoteKeyring(String senderId, CipherSuite suite) {
        this.senderId = senderId;
        this.receiver = new SFrameReceiver(suite);
    }

    public String senderId() {
        return senderId;
    }

    /** Decrypts this sender's frames with the keys held here. */
    public SFrameReceiver receiver() {
        return receiver;
    }

    /** Takes a key announced by the sender; returns false if it was already held unchanged. */
    public boolean accept(MediaKey key) {
        if (keys.contains(key)) {
            return false;
        }
        keys.removeIf(k -> k.index() == key.index());
        keys.addLast(key);
        receiver.addKey(key.kid(), key.key());
        while (keys.size() > PAST_KEYS_KEPT + 1) {
            receiver.removeKey(keys.removeFirst().kid());
        }
        return true;
    }

    /** The most recently received key. */
    public Optional<MediaKey> latest() {
        return Optional.ofNullable(keys.peekLast());
    }

    /** All keys held, oldest first. */
    public List<MediaKey> keys() {
        return new ArrayList<>(keys);
    }
}
