package org.conclave.sfu.sdp;

/**
 * How much SDP the parser reads before it refuses the text: keys {@code sfu.sdp_max_chars},
 * {@code sfu.sdp_max_media_sections}, {@code sfu.sdp_max_attributes_per_section} (docs/operators.md). They bound the
 * memory and time one hostile offer can cost; the configuration validates the ranges.
 *
 * @param maxChars longest SDP accepted, in characters
 * @param maxMediaSections most m-sections accepted
 * @param maxAttributesPerSection most a= lines in the session part or in one m-section
 */
public record SdpLimits(int maxChars, int maxMediaSections, int maxAttributesPerSection) {
    /** A Chromium offer with simulcast and candidates is ~10 KiB: 128 KiB leaves room for large conferences. */
    public static final int DEFAULT_MAX_CHARS = 128 * 1024;
    public static final int DEFAULT_MAX_MEDIA_SECTIONS = 64;
    public static final int DEFAULT_MAX_ATTRIBUTES_PER_SECTION = 1024;
    /** Today's defaults, for SDP the SFU wrote itself, tests and fuzzers. */
    public static final SdpLimits DEFAULTS =
            new SdpLimits(DEFAULT_MAX_CHARS, DEFAULT_MAX_MEDIA_SECTIONS, DEFAULT_MAX_ATTRIBUTES_PER_SECTION);

    public SdpLimits {
        if (maxChars < 1 || maxMediaSections < 1 || maxAttributesPerSection < 1) {
            throw new IllegalArgumentException("SDP limits must be positive: " + maxChars + ", " + maxMediaSections
                    + ", " + maxAttributesPerSection);
        }
    }
}
