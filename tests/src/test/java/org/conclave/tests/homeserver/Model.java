package org.conclave.tests.homeserver;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the double knows, behind one lock (this object): users, rooms, keys, to-device inboxes, account data
 * and ephemeral data, each stamped with a position of one stream shared by all of them. Sync tokens are positions,
 * so one user's sync sees every room's events in order, interleaved as they happened.
 *
 * <p>Whoever changes anything calls {@link #changed()}: blocked test threads wake up and waiting long-polls look
 * again.
 */
final class Model {
    final String serverName;
    final Users users;
    final Rooms rooms;
    final Keys keys;
    final ToDevice toDevice;
    final AccountData accountData;

    private long position;
    private final List<Runnable> waiters = new ArrayList<>();

    Model(String serverName, Rooms.Listener roomListener, ToDevice.Listener toDeviceListener) {
        this.serverName = serverName;
        this.users = new Users(serverName);
        this.rooms = new Rooms(this, roomListener);
        this.keys = new Keys(this);
        this.toDevice = new ToDevice(this, toDeviceListener);
        this.accountData = new AccountData(this);
    }

    /** The next position of the stream (caller holds the lock). */
    long next() {
        return ++position;
    }

    long position() {
        return position;
    }

    /** Registers a one-shot wake-up for the next change (a long-poll); the runnable must not block. */
    void onNextChange(Runnable waiter) {
        waiters.add(waiter);
    }

    /** Long-polls waiting for a change now. */
    int waiting() {
        return (int) waiters.stream().distinct().count();
    }

    void cancel(Runnable waiter) {
        waiters.remove(waiter);
    }

    /** Wakes threads waiting on this object and every registered long-poll (caller holds the lock). */
    void changed() {
        notifyAll();
        List<Runnable> woken = List.copyOf(waiters);
        waiters.clear();
        woken.forEach(Runnable::run);
    }
}
