package org.conclave.sfu.conference;

import java.security.SecureRandom;
import java.time.Duration;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.datachannel.DataChannels;
import org.conclave.sfu.forward.MediaWorker;

/** What every endpoint of one SFU shares: SDP, the packet thread, data channels, randomness, time, and the offer timeout. */
record EndpointContext(Negotiation negotiation, MediaWorker worker, DataChannels dataChannels, SecureRandom random,
        NanoClock clock, Duration offerAnswerTimeout) {}
