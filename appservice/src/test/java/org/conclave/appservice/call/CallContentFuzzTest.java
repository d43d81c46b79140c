package org.conclave.appservice.call;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.conclave.sfu.control.StreamMetadata;

/**
 * Fuzz target for what the bot reads of a caller's m.call.* content (untrusted): any JSON object gives an invite
 * within its bounds or {@link CallInvite.Unusable}, and bounded stream metadata; nothing else is thrown.
 */
class CallContentFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void read(FuzzedDataProvider data) {
        JsonObject content;
        try {
            content = new JsonObject(data.consumeRemainingAsString());
        } catch (DecodeException | ClassCastException e) {
            return;
        }
        Map<String, StreamMetadata> streams = SdpStreamMetadata.read(content);
        assertThat(streams.size()).isLessThanOrEqualTo(SdpStreamMetadata.MAX_STREAMS);
        streams.keySet().forEach(id -> assertThat(id).isNotEmpty().hasSizeLessThanOrEqualTo(
                SdpStreamMetadata.MAX_STREAM_ID_CHARS));
        try {
            CallInvite invite = CallInvite.parse(content);
            assertThat(invite.callId()).isNotEmpty().hasSizeLessThanOrEqualTo(CallInvite.MAX_ID_CHARS);
            assertThat(invite.deviceId()).isNotEmpty();
            assertThat(invite.sdp()).isNotNull();
        } catch (CallInvite.Unusable e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
