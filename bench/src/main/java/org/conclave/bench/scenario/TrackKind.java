package org.conclave.bench.scenario;

/** What a published track carries: Opus audio, or one of the two simulcast video layers. */
public enum TrackKind {
    AUDIO(true),
    /** The low simulcast layer (320x180-ish), what a grid of tiles shows. */
    THUMB(false),
    /** The high simulcast layer (720p-ish), what the one large tile shows. */
    FULL(false);

    private final boolean audio;

    TrackKind(boolean audio) {
        this.audio = audio;
    }

    public boolean isAudio() {
        return audio;
    }
}
