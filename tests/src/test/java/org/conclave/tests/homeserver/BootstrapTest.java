package org.conclave.tests.homeserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.conclave.appservice.ping.Bootstrap;
import org.conclave.appservice.ping.PingOutcome;
import org.conclave.appservice.registration.Registration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up with the homeserver: the ping's diagnosis for each way the connection can be broken, the bot's set-up. */
class BootstrapTest {
    @TempDir
    Path dir;

    private Bootstrap.Result bootstrap(UnaryOperator<Registration> hsView, Consumer<HomeserverDouble> hsSetup,
            Consumer<InProcessAppservice> check) throws Exception {
        try (LogCapture logs = new LogCapture();
                InProcessAppservice app = InProcessAppservice.start(dir, AppservicePusher.Options.defaults(), hsView,
                        hsSetup)) {
            Bootstrap.Result result = app.bootstrapped();
            check.accept(app);
            // Whatever went wrong, the log explains it without a token.
            assertThat(logs.lines()).anyMatch(l -> l.contains("Homeserver connection"))
                    .noneMatch(l -> l.contains(app.registration.asToken()) || l.contains(app.registration.hsToken()));
            return result;
        }
    }

    @Test
    void aWorkingConnectionRegistersTheBotAndNamesIt() throws Exception {
        Bootstrap.Result result = bootstrap(UnaryOperator.identity(), hs -> {}, app -> {
            assertThat(app.hs.registrations()).containsExactly("conclave");
            assertThat(app.hs.displayName(app.hs.botUserId())).isEqualTo("Conclave test");
            // The double called our /_matrix/app/v1/ping with the right hs_token.
            assertThat(app.hs.requests("POST", "/appservice/conclave/ping"))
                    .extracting(HomeserverDouble.Request::status).containsExactly(200);
        });

        assertThat(result.ping().outcome()).isEqualTo(PingOutcome.OK);
        assertThat(result.ping().durationMs()).isNotNegative();
        assertThat(result.botReady()).isTrue();
    }

    @Test
    void anOlderHomeserverAnsweringM_UNRECOGNIZEDWith400IsQuietlyNotChecked() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            Bootstrap.Result result = bootstrap(UnaryOperator.identity(), hs -> hs.inject("POST",
                    "/appservice/conclave/ping", 1, 400, new JsonObject().put("errcode", "M_UNRECOGNIZED")
                            .put("error", "Unrecognized request")), app -> {});

            assertThat(result.ping().outcome()).isEqualTo(PingOutcome.NOT_SUPPORTED);
            assertThat(result.botReady()).isTrue();
            assertThat(logs.lines()).filteredOn(l -> l.contains("Homeserver connection")).singleElement().asString()
                    .startsWith("Homeserver connection not checked");
        }
    }

    @Test
    void aHomeserverThatRefusesTheBotAtFirstIsAskedAgainUntilItTakesItsName() throws Exception {
        Bootstrap.Result result = bootstrap(UnaryOperator.identity(), hs -> hs.inject("PUT", "/displayname", 3, 401,
                new JsonObject().put("errcode", "M_UNKNOWN_TOKEN").put("error", "Unrecognised access token")), app -> {
                    long deadline = System.nanoTime() + InProcessAppservice.TIMEOUT.toNanos();
                    while (!"Conclave test".equals(app.hs.displayName(app.hs.botUserId()))) {
                        assertThat(System.nanoTime()).as("display name set in time").isLessThan(deadline);
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    }
                    assertThat(app.hs.requests("PUT", "/displayname")).extracting(HomeserverDouble.Request::status)
                            .containsExactly(401, 401, 401, 200);
                });

        // The first try failed; the later ones went on in the background.
        assertThat(result.botReady()).isFalse();
    }

    @Test
    void aHomeserverWithAnotherHsTokenIsToldApart() throws Exception {
        Bootstrap.Result result = bootstrap(UnaryOperator.identity(), hs -> hs.presentHsToken("stale-hs-token"),
                app -> {});

        assertThat(result.ping().outcome()).isEqualTo(PingOutcome.HS_TOKEN_MISMATCH);
        assertThat(result.ping().appserviceStatus()).isEqualTo(403);
        // The client-server direction still works: the bot is set up.
        assertThat(result.botReady()).isTrue();
    }

    @Test
    void aHomeserverThatCannotReachTheAppserviceIsToldApart() throws Exception {
        int closed = Fixtures.freePort();
        Bootstrap.Result result = bootstrap(UnaryOperator.identity(),
                hs -> hs.appserviceUrl("http://127.0.0.1:" + closed), app -> {
                    // Retried a few times (the homeserver may still be starting), then reported.
                    assertThat(app.hs.requests("POST", "/appservice/conclave/ping")).hasSizeGreaterThan(1);
                });

        assertThat(result.ping().outcome()).isEqualTo(PingOutcome.APPSERVICE_UNREACHABLE);
    }

    @Test
    void aHomeserverThatDoesNotKnowOurAsTokenIsToldApartAndTheBotIsNotSetUp() throws Exception {
        Bootstrap.Result result = bootstrap(r -> new Registration(r.id(), r.url(), "older-as-token", r.hsToken(),
                r.senderLocalpart(), r.userRegexes()), hs -> {}, app -> {
                    assertThat(app.hs.registrations()).isEmpty();
                });

        assertThat(result.ping().outcome()).isEqualTo(PingOutcome.AS_TOKEN_UNKNOWN);
        assertThat(result.botReady()).isFalse();
    }
}
