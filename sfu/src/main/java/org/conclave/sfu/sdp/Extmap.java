package org.conclave.sfu.sdp;

/** a=extmap:&lt;id&gt;[/&lt;direction&gt;] &lt;uri&gt; [&lt;attributes&gt;] (RFC 8285). */
public record Extmap(int id, Direction direction, String uri, String attributes) {
    public static final int MIN_ID = 1;
    public static final int MAX_ID = 255;

    public Extmap {
        if (id < MIN_ID || id > MAX_ID) {
            throw new IllegalArgumentException("extmap id " + id + " is outside " + MIN_ID + ".." + MAX_ID);
        }
        SdpText.token(uri, "extmap URI");
        SdpText.optionalNonEmptyText(attributes, "extmap attributes");
    }

    public Extmap(int id, String uri) {
        this(id, null, uri, null);
    }

    static Extmap parse(String value) {
        String[] head = SdpText.head(value);
        String idPart = head[0];
        Direction dir = null;
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            dir = Direction.fromToken(idPart.substring(slash + 1));
            if (dir == null) throw new IllegalArgumentException("extmap direction '" + idPart.substring(slash + 1) + "' is unknown");
            idPart = idPart.substring(0, slash);
        }
        int id = (int) SdpText.number(idPart, Integer.MAX_VALUE, "extmap id");
        if (head[1] == null) throw new IllegalArgumentException("a=extmap:" + id + " names no extension URI");
        String[] uri = SdpText.head(head[1]);
        return new Extmap(id, dir, uri[0], uri[1]);
    }

    String format() {
        return id + (direction == null ? "" : "/" + direction.token()) + " " + uri + (attributes == null ? "" : " " + attributes);
    }
}
