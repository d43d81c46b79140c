package org.conclave.appservice.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JournalReaderTest {
    private static final String A = line(JournalRecord.start("e:$a"));
    private static final String B = line(JournalRecord.done("e:$a", "ok"));
    private static final String C = line(JournalRecord.txn("00ff", "1"));

    /** Placeholders: A, B, C are valid lines; anything else is taken literally, '~' standing for a newline. */
    @ParameterizedTest(name = "{0} -> {1} records, {2} intact bytes, {3} dropped")
    @CsvSource(delimiter = '|', textBlock = """
            ''            | 0 | 0        | 0
            A             | 1 | A        | 0
            ABC           | 3 | ABC      | 0
            AB{"op":      | 2 | AB       | 1
            ABgarbage~    | 2 | AB       | 1
            Agarbage~BC   | 1 | A        | 3
            ~A            | 0 | 0        | 2
            A~            | 1 | A        | 1
            AB-C          | 2 | AB       | 1
            A12345678 {}~ | 1 | A        | 1
            """)
    void damageCutsTheRestOff(String spec, int records, String intactSpec, int dropped) throws Exception {
        JournalReader.Result result = JournalReader.read(new ByteArrayInputStream(bytes(spec)));

        assertThat(result.records()).hasSize(records);
        assertThat(result.intactBytes()).isEqualTo(intactSpec.equals("0") ? 0 : bytes(intactSpec).length);
        assertThat(result.droppedLines()).isEqualTo(dropped);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            e:$abc:example.org | ok
            e:$ü/\\"'x          | timeout
            x:00ff:3           |
            """)
    void recordsSurviveTheRoundTrip(String key, String note) {
        for (JournalRecord record : new JournalRecord[] {JournalRecord.start(key), JournalRecord.done(key, note),
                JournalRecord.txn(key, note), JournalRecord.done(key, note, "00ff", 0),
                JournalRecord.done(key, note, "00ff", 1_999_999), JournalRecord.range(key, 0, 1),
                JournalRecord.range(key, 7, 42)}) {
            byte[] encoded = record.encode();
            assertThat(encoded[encoded.length - 1]).isEqualTo((byte) '\n');
            assertThat(JournalRecord.decode(encoded, 0, encoded.length - 1)).isEqualTo(record);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            flipped checksum | 0
            flipped body     | 12
            wrong op         | -1
            """)
    void tamperedLinesDoNotDecode(String what, int flipAt) {
        byte[] line = JournalRecord.start("e:$a").encode();
        if (flipAt >= 0) {
            line[flipAt] ^= 0x01;
        } else {
            String json = "{\"op\":\"stop\",\"key\":\"e:$a\"}";
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(json.getBytes(StandardCharsets.UTF_8));
            line = (java.util.HexFormat.of().toHexDigits((int) crc.getValue()) + " " + json + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        assertThat(JournalRecord.decode(line, 0, line.length - 1)).isNull();
    }

    /**
     * The longest records Conclave writes: a unit key of the longest event id the transaction parser admits (255
     * bytes, here control characters, which JSON escapes sixfold) and a transaction record noting the longest
     * transaction id. They stay below the damage bound and read back intact.
     */
    @org.junit.jupiter.api.Test
    void theLongestRecordsConclaveWritesAreFarBelowTheBound() throws Exception {
        JournalRecord longestKey = JournalRecord.start("e:$" + "\u0001".repeat(254));
        JournalRecord longestNote = JournalRecord.txn("0".repeat(32), "\u0001".repeat(1024));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (JournalRecord r : new JournalRecord[] {longestKey, longestNote}) {
            assertThat(r.encode().length).isLessThan(JournalReader.MAX_LINE_BYTES / 2);
            file.write(r.encode());
        }

        JournalReader.Result result = JournalReader.read(new ByteArrayInputStream(file.toByteArray()));

        assertThat(result.records()).containsExactly(longestKey, longestNote);
        assertThat(result.droppedLines()).isZero();
    }

    @org.junit.jupiter.api.Test
    void overlongLineIsDamage() throws Exception {
        String spec = A + "x".repeat(JournalReader.MAX_LINE_BYTES + 10) + "\n";

        JournalReader.Result result =
                JournalReader.read(new ByteArrayInputStream(spec.getBytes(StandardCharsets.UTF_8)));

        assertThat(result.records()).hasSize(1);
        assertThat(result.droppedLines()).isEqualTo(1);
    }

    private static String line(JournalRecord record) {
        return new String(record.encode(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (char c : spec.toCharArray()) {
            String part = switch (c) {
                case 'A' -> A;
                case 'B' -> B;
                case 'C' -> C;
                case '~' -> "\n";
                default -> String.valueOf(c);
            };
            out.writeBytes(part.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
