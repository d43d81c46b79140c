package org.conclave.sfu.sdp;

/** a=rid:&lt;id&gt; send|recv [&lt;restrictions&gt;] (RFC 8851). */
public record Rid(String id, RidDirection direction, String params) {
    public Rid {
        SdpText.token(id, "rid id");
        if (direction == null) throw new IllegalArgumentException("rid direction is missing");
        SdpText.optionalNonEmptyText(params, "rid restrictions");
    }

    static Rid parse(String value) {
        String[] head = SdpText.head(value);
        if (head[1] == null) throw new IllegalArgumentException("a=rid:" + head[0] + " needs a direction (send or recv)");
        String[] dir = SdpText.head(head[1]);
        RidDirection d = switch (dir[0]) {
            case "send" -> RidDirection.SEND;
            case "recv" -> RidDirection.RECV;
            default -> throw new IllegalArgumentException("a=rid direction must be send or recv, got '" + dir[0] + "'");
        };
        return new Rid(head[0], d, dir[1]);
    }

    String format() {
        return id + " " + direction.token() + (params == null ? "" : " " + params);
    }
}
