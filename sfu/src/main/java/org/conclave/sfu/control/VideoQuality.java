package org.conclave.sfu.control;

/** Which of a sender's videos a receiver gets: the thumbnail everyone gets, or the full-res it asked for. */
public enum VideoQuality {
    THUMBNAIL, FULL_RES
}
