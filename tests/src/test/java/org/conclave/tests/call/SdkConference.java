package org.conclave.tests.call;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.homeserver.MatrixPages;
import org.conclave.tests.homeserver.ScriptedClient;

/**
 * A {@link CallRig} (Conclave and the homeserver double) with matrix-js-sdk pages (one Chromium, a browser context per
 * participant) and one conference room: its owner creates it and invites the bot; every participant {@link #join}s it
 * (a Matrix user with a password, a member of the room) and logs in from its own page.
 */
final class SdkConference implements AutoCloseable {
    private static final String PASSWORD = "correct horse battery staple";

    final CallRig rig;
    final MatrixPages pages;
    final ScriptedClient owner;
    final String room;

    private SdkConference(CallRig rig, MatrixPages pages, ScriptedClient owner, String room) {
        this.rig = rig;
        this.pages = pages;
        this.owner = owner;
        this.room = room;
    }

    static SdkConference start(Path dir, String owner) throws Exception {
        return start(dir, CallRig.Settings.defaults(), owner, Map.of());
    }

    /** @param levels power levels in the conference room besides the owner's (100) and the bot's (50) */
    static SdkConference start(Path dir, CallRig.Settings settings, String owner, Map<String, Integer> levels)
            throws Exception {
        CallRig rig = CallRig.start(dir, settings);
        MatrixPages pages = null;
        try {
            ScriptedClient o = rig.user(owner);
            String room = rig.conferenceRoom(o, levels);
            pages = MatrixPages.start(rig.hsVertx);
            return new SdkConference(rig, pages, o, room);
        } catch (Exception | Error e) {
            if (pages != null) pages.close();
            rig.close();
            throw e;
        }
    }

    /** The user of that localpart joins the conference room and logs in from a new page (crypto off). */
    SdkCaller join(String localpart, SdkCaller.Transport transport) throws Exception {
        return join(localpart, transport, false);
    }

    /** @param crypto whether the page runs the Rust crypto (as Conclave Web does) */
    SdkCaller join(String localpart, SdkCaller.Transport transport, boolean crypto) throws Exception {
        String userId = member(localpart);
        return SdkCaller.login(pages, localpart, true, rig.hs.url(), rig.bot(), userId, PASSWORD, transport, crypto);
    }

    /** The same on the page of {@code previous}, whose call has ended (no new page to load); crypto off. */
    SdkCaller joinOnPageOf(SdkCaller previous, String localpart, SdkCaller.Transport transport) throws Exception {
        String userId = member(localpart);
        previous.reset();
        return SdkCaller.login(pages, previous.page, false, rig.hs.url(), rig.bot(), userId, PASSWORD, transport,
                false);
    }

    /** A user with a password who has joined the conference room; returns the user id. */
    private String member(String localpart) {
        ScriptedClient user = rig.user(localpart);
        rig.hs.createUser(localpart, PASSWORD);
        if (!user.userId().equals(owner.userId())) {
            owner.invite(room, user.userId());
            user.join(room);
        }
        return user.userId();
    }

    /** The bot's m.call.hangup sends so far, over either transport (room events or to-device). */
    List<HomeserverDouble.Request> botHangups() {
        return rig.hs.requests("PUT", "/" + CallContent.HANGUP + "/").stream()
                .filter(r -> rig.bot().equals(r.sender())).toList();
    }

    @Override
    public void close() throws Exception {
        try {
            pages.close();
        } finally {
            rig.close();
        }
    }
}
