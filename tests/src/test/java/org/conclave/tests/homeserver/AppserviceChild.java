package org.conclave.tests.homeserver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.conclave.appservice.AppserviceHooks;
import org.conclave.appservice.Main;
import org.conclave.appservice.txn.TransactionObserver;

/**
 * The appservice as a child process for crash tests: {@link Main} with a durable {@link Recorder} as handler and an
 * optional freeze point, where it prints {@value #FROZEN} and stops moving so that the test can kill -9 it exactly
 * there.
 *
 * <pre>
 * java -cp ... org.conclave.tests.homeserver.AppserviceChild --config F --record F
 *      [--freeze-before-ack EVENT_ID]     after the transaction holding EVENT_ID is durably processed, before the 200
 *      [--freeze-after-handler EVENT_ID]  after the handler durably recorded EVENT_ID, before it counts as done
 * java -cp ... org.conclave.tests.homeserver.AppserviceChild --config F --product
 *      the product as Main runs it (the call handler), for tests of the whole process (SIGTERM)
 * </pre>
 */
public final class AppserviceChild {
    public static final String FROZEN = "CONCLAVE-TEST-FROZEN ";

    private AppserviceChild() {}

    public static void main(String[] args) {
        List<String> mainArgs = new ArrayList<>();
        Path record = null;
        String beforeAck = null;
        String afterHandler = null;
        boolean product = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--product" -> product = true;
                case "--record" -> record = Path.of(args[++i]);
                case "--freeze-before-ack" -> beforeAck = args[++i];
                case "--freeze-after-handler" -> afterHandler = args[++i];
                default -> mainArgs.add(args[i]);
            }
        }
        if (product) {
            Main.main(mainArgs.toArray(String[]::new));
            return;
        }
        if (record == null) throw new IllegalArgumentException("--record is required");
        Path recordFile = record;
        String freezeAfterHandler = afterHandler;
        String freezeBeforeAck = beforeAck;
        TransactionObserver observer = txn -> {
            if (freezeBeforeAck != null && txn.units().stream().anyMatch(u -> u.key().equals("e:" + freezeBeforeAck))) {
                freeze("before-ack " + txn.txnId());
            }
        };
        Main.main(mainArgs.toArray(String[]::new), new AppserviceHooks(server -> new Recorder(server.vertx(),
                recordFile, entry -> {
                    if (entry.id().equals(freezeAfterHandler)) freeze("after-handler " + entry.id());
                }), observer));
    }

    /** Tells the test, then blocks this thread for good: the process is about to be killed. */
    private static void freeze(String where) {
        System.out.println(FROZEN + where);
        System.out.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
