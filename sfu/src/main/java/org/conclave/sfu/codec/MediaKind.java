package org.conclave.sfu.codec;

public enum MediaKind {
    AUDIO, VIDEO;

    public static MediaKind of(String sdpKind) {
        return switch (sdpKind) {
            case "audio" -> AUDIO;
            case "video" -> VIDEO;
            default -> throw new IllegalArgumentException("not a media kind: " + sdpKind);
        };
    }

    public String sdpName() {
        return this == AUDIO ? "audio" : "video";
    }
}
