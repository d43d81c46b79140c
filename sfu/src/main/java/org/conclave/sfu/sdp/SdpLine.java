package org.conclave.sfu.sdp;

/** A non-attribute line the model has no field for (b=, i=, k=, ...), kept as it came. */
public record SdpLine(char type, String value) {
    public SdpLine {
        if (type < 'a' || type > 'z') throw new IllegalArgumentException("SDP line type must be a lowercase letter");
        if ("vosmtca".indexOf(type) >= 0) {
            throw new IllegalArgumentException("'" + type + "=' lines have their own fields in the model");
        }
        SdpText.text(value, type + "= value", true);
    }
}
