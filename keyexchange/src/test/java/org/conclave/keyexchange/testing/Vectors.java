package org.conclave.keyexchange.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** The RFC 9605 test vectors from src/test/resources/sframe-rfc9605-test-vectors.json. */
public final class Vectors {
    public static final String RESOURCE = "/sframe-rfc9605-test-vectors.json";
    private static final JsonNode ROOT = load();

    private Vectors() {
    }

    public static List<JsonNode> section(String name) {
        List<JsonNode> out = new ArrayList<>();
        ROOT.get(name).forEach(out::add);
        return out;
    }

    /** A JSON number that may exceed Long.MAX_VALUE, as an unsigned long. */
    public static long unsigned(JsonNode n) {
        return new BigInteger(n.asText()).longValue();
    }

    private static JsonNode load() {
        try (InputStream in = Vectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from test resources");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
