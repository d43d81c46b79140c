package org.conclave.sfu.ice;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.crypto.Mac;
import org.conclave.sfu.clock.NanoClock;

/**
 * One endpoint's ICE-lite agent (RFC 8445 §2.5), always controlled: it answers authenticated Binding requests, learns
 * the client's addresses from them (peer-reflexive, so remote candidates are never needed), takes the controlling
 * side's nomination, and tracks consent (RFC 7675). It sends nothing on its own.
 *
 * <p>{@link #handleBindingRequest} and {@link #isValidated} belong to the packet thread that owns the socket.
 * {@code isValidated} allocates nothing; a handled request only the response's address bytes and the JCE's HMAC
 * output. {@link #state}, {@link #selectedAddress} and the counters may be read from any thread. Failure is final: once timed out or out of consent, requests are dropped, so the state
 * cannot come back.
 *
 * <p>ICE restart (RFC 8445 §9, RFC 8839): {@link #restart} adds new local credentials next to the current ones. Checks
 * with either are answered until the first valid check with the new ones arrives; then the new credentials are the
 * only ones, the addresses validated before are forgotten (the client's path may have changed) and the next check
 * picks the address media goes to. {@link #generation()} counts these switches.
 *
 * <p>Address change (NAT rebinding, Wi-Fi to mobile) without a restart: the client's next check comes from its new
 * address and validates it; when media then arrives from there, the packet path calls {@link #moveTo}: media goes to
 * the new address and every other one is forgotten (as mediasoup's ICE-lite server and Pion's do, the address that
 * last carried the client's media is the one answered).
 */
public final class IceLiteAgent {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** RFC 7675 §5.1: consent expires 30 s after the last successful check. */
    public static final Duration DEFAULT_CONSENT_TIMEOUT = Duration.ofSeconds(30);
    /** Validated client addresses kept; the least recently checked one that is not selected makes room. */
    public static final int MAX_VALIDATED = 8;

    public enum State {
        /** No authenticated check yet. */
        NEW,
        /** At least one authenticated check, the last one within the consent timeout. */
        CONNECTED,
        /** No authenticated check within the connect timeout after creation. */
        FAILED_TIMEOUT,
        /** Was connected, but no authenticated check for the consent timeout. */
        FAILED_CONSENT
    }

    private IceCredentials local;
    private byte[] ufrag;
    private Mac mac;
    /** Credentials of an ICE restart the client has not yet used, or null. */
    private IceCredentials next;
    private byte[] nextUfrag;
    private Mac nextMac;
    private volatile int generation;
    private final NanoClock clock;
    private final long createdNanos;
    private final long connectTimeoutNanos;
    private final long consentTimeoutNanos;
    private final StunMessage request = new StunMessage();
    private final InetSocketAddress[] validated = new InetSocketAddress[MAX_VALIDATED];
    private final long[] validatedAt = new long[MAX_VALIDATED];
    private int validatedCount;
    private boolean nominated;
    private volatile InetSocketAddress selected;
    private volatile long lastValidNanos;
    private volatile boolean everValidated;

    private volatile long requestsAccepted;
    private volatile long requestsRejectedIntegrity;
    private volatile long requestsRejectedUsername;
    private volatile long requestsAfterFailure;
    private volatile long roleConflicts;
    private volatile long unknownAttributes;
    private volatile long malformed;
    private volatile long ignored;

    public IceLiteAgent(IceCredentials local, NanoClock clock) {
        this(local, clock, DEFAULT_CONNECT_TIMEOUT, DEFAULT_CONSENT_TIMEOUT);
    }

    public IceLiteAgent(IceCredentials local, NanoClock clock, Duration connectTimeout, Duration consentTimeout) {
        this.local = local;
        this.ufrag = local.ufrag().getBytes(StandardCharsets.US_ASCII);
        this.mac = StunMessages.integrityMac(local.pwd());
        this.clock = clock;
        this.createdNanos = clock.nanoTime();
        this.connectTimeoutNanos = connectTimeout.toNanos();
        this.consentTimeoutNanos = consentTimeout.toNanos();
    }

    /**
     * Handles a STUN packet from {@code from} and writes the answer into {@code out} (which needs
     * {@link StunMessages#MAX_RESPONSE_LENGTH} bytes from {@code outOff}). Returns the answer's length, or -1 when the
     * packet must be dropped (the matching counter says why). An accepted request validates {@code from}, refreshes
     * consent and, with USE-CANDIDATE, nominates {@code from}. Error answers (400, 420, 487) validate nothing.
     * {@code out} may be {@code in} at the same offset (answer in place).
     */
    public int handleBindingRequest(byte[] in, int off, int len, InetSocketAddress from, byte[] out, int outOff) {
        return handleBindingRequest(in, off, len, from, from, out, outOff);
    }

    /**
     * {@link #handleBindingRequest(byte[], int, int, InetSocketAddress, byte[], int)} for a path whose key is not the
     * client's address (an ICE-TCP connection): {@code from} is what gets validated, {@code mapped} what the answer's
     * XOR-MAPPED-ADDRESS tells the client.
     */
    public int handleBindingRequest(byte[] in, int off, int len, InetSocketAddress from, InetSocketAddress mapped,
            byte[] out, int outOff) {
        long now = clock.nanoTime();
        if (request.parse(in, off, len) != StunMessage.Status.OK) {
            malformed++;
            return -1;
        }
        if (request.type() != StunMessages.BINDING_REQUEST) {
            ignored++; // indications (keepalives) and stray responses need no answer
            return -1;
        }
        State state = state(now);
        if (state == State.FAILED_TIMEOUT || state == State.FAILED_CONSENT) {
            requestsAfterFailure++;
            return -1;
        }
        int tx = request.transactionIdOffset();
        if (!request.hasUsername() || !request.hasIntegrity()) {
            if (request.hasUsername()) requestsRejectedIntegrity++; else requestsRejectedUsername++;
            return StunMessages.writeBindingError(out, outOff, in, tx, StunMessages.ERROR_BAD_REQUEST, null, 0, null);
        }
        boolean restarting = next != null && request.usernameRecipientIs(nextUfrag);
        if (!restarting && !request.usernameRecipientIs(ufrag)) {
            requestsRejectedUsername++;
            return -1;
        }
        Mac mac = restarting ? nextMac : this.mac;
        if (!request.integrityValid(mac)) {
            requestsRejectedIntegrity++;
            return -1;
        }
        if (request.unknownCount() > 0) {
            unknownAttributes++;
            return StunMessages.writeBindingError(out, outOff, in, tx, StunMessages.ERROR_UNKNOWN_ATTRIBUTE,
                    request.unknownTypes(), request.unknownCount(), mac);
        }
        if (request.iceControlled()) {
            // A lite agent is always controlled (RFC 8445 §6.1.1); 487 makes the full agent switch to controlling.
            roleConflicts++;
            return StunMessages.writeBindingError(out, outOff, in, tx, StunMessages.ERROR_ROLE_CONFLICT, null, 0, mac);
        }
        int length = StunMessages.writeBindingSuccess(out, outOff, in, tx, mapped, mac);
        if (restarting) completeRestart();
        validate(from, now, request.useCandidate());
        requestsAccepted++;
        return length;
    }

    /**
     * The client restarts ICE: {@code credentials} are the SFU's new ones (in its answer). Until the client's first
     * valid check with them, the current credentials keep working. Packet thread.
     */
    public void restart(IceCredentials credentials) {
        next = credentials;
        nextUfrag = credentials.ufrag().getBytes(StandardCharsets.US_ASCII);
        nextMac = StunMessages.integrityMac(credentials.pwd());
    }

    private void completeRestart() {
        local = next;
        ufrag = nextUfrag;
        mac = nextMac;
        next = null;
        nextUfrag = null;
        nextMac = null;
        java.util.Arrays.fill(validated, null);
        validatedCount = 0;
        nominated = false;
        generation++;
    }

    private void validate(InetSocketAddress from, long now, boolean nominate) {
        int slot = indexOf(from);
        if (slot < 0) {
            slot = validatedCount < MAX_VALIDATED ? validatedCount++ : evictionSlot();
            validated[slot] = from;
        }
        validatedAt[slot] = now;
        if (nominate || !nominated) selected = validated[slot];
        nominated |= nominate;
        lastValidNanos = now;
        everValidated = true;
    }

    /**
     * The client now sends from {@code to}, a validated address: media goes there, and the other addresses are no
     * longer accepted (a new check is needed to use one again). False, changing nothing, if {@code to} is not
     * validated. Packet thread.
     */
    public boolean moveTo(InetSocketAddress to) {
        int slot = to == null || to.getAddress() == null ? -1 : indexOf(to);
        if (slot < 0) return false;
        InetSocketAddress kept = validated[slot];
        long keptAt = validatedAt[slot];
        java.util.Arrays.fill(validated, null);
        validated[0] = kept;
        validatedAt[0] = keptAt;
        validatedCount = 1;
        selected = kept;
        return true;
    }

    /**
     * {@code a} can no longer carry media (its ICE-TCP connection closed): it is no longer validated, and if media
     * went there it goes to the most recently validated other address (null if none). Packet thread.
     */
    public void forget(InetSocketAddress a) {
        int slot = indexOf(a);
        if (slot < 0) return;
        InetSocketAddress gone = validated[slot];
        validatedCount--;
        validated[slot] = validated[validatedCount];
        validatedAt[slot] = validatedAt[validatedCount];
        validated[validatedCount] = null;
        if (selected != gone) return;
        int latest = -1;
        for (int i = 0; i < validatedCount; i++) {
            if (latest < 0 || validatedAt[i] - validatedAt[latest] > 0) latest = i;
        }
        selected = latest < 0 ? null : validated[latest];
    }

    private int evictionSlot() {
        int oldest = -1;
        for (int i = 0; i < validatedCount; i++) {
            if (validated[i] != selected && (oldest < 0 || validatedAt[i] - validatedAt[oldest] < 0)) oldest = i;
        }
        return oldest;
    }

    private int indexOf(InetSocketAddress a) {
        for (int i = 0; i < validatedCount; i++) {
            InetSocketAddress v = validated[i];
            if (v.getPort() == a.getPort() && v.getAddress().equals(a.getAddress())) return i;
        }
        return -1;
    }

    /** Whether {@code a} passed an authenticated check; media from other addresses is dropped. Zero allocation. */
    public boolean isValidated(InetSocketAddress a) {
        return a != null && a.getAddress() != null && indexOf(a) >= 0;
    }

    public State state(long now) {
        if (!everValidated) return now - createdNanos >= connectTimeoutNanos ? State.FAILED_TIMEOUT : State.NEW;
        return now - lastValidNanos >= consentTimeoutNanos ? State.FAILED_CONSENT : State.CONNECTED;
    }

    /** Whether the client has nominated an address (USE-CANDIDATE) since the last ICE restart. Packet thread. */
    public boolean isNominated() {
        return nominated;
    }

    /** Where media goes: the nominated address, before nomination the last validated one; null before any check. */
    public InetSocketAddress selectedAddress() {
        return selected;
    }

    /** The credentials checks are answered with (the old ones until an ICE restart's first valid check). */
    public IceCredentials localCredentials() {
        return local;
    }

    /** The credentials of an ICE restart not yet used by the client, or null. Packet thread. */
    public IceCredentials pendingCredentials() {
        return next;
    }

    /** How many ICE restarts completed: each one forgot the addresses validated before it. */
    public int generation() {
        return generation;
    }

    public long requestsAccepted() {
        return requestsAccepted;
    }

    /** Bad MESSAGE-INTEGRITY, or none (answered 400). */
    public long requestsRejectedIntegrity() {
        return requestsRejectedIntegrity;
    }

    /** USERNAME not addressed to our ufrag, or none (answered 400). */
    public long requestsRejectedUsername() {
        return requestsRejectedUsername;
    }

    /** Requests dropped because the agent had already failed. */
    public long requestsAfterFailure() {
        return requestsAfterFailure;
    }

    /** Authenticated requests claiming ICE-CONTROLLED, answered 487. */
    public long roleConflicts() {
        return roleConflicts;
    }

    /** Authenticated requests with unknown comprehension-required attributes, answered 420. */
    public long unknownAttributes() {
        return unknownAttributes;
    }

    /** Packets that did not parse as STUN (structure or FINGERPRINT). */
    public long malformed() {
        return malformed;
    }

    /** Well-formed STUN that is not a Binding request (indications, responses). */
    public long ignored() {
        return ignored;
    }
}
