package org.conclave.sfu.sdp;

/** An attribute the model does not interpret, kept in order: a=name or a=name:value (value kept verbatim). */
public record Attribute(String name, String value) {
    public Attribute {
        SdpText.text(name, "attribute name", false);
        if (name.indexOf(':') >= 0) throw new IllegalArgumentException("attribute name must not contain ':'");
        if (name.isEmpty() && value == null) throw new IllegalArgumentException("attribute has neither name nor value");
        if (value != null) SdpText.text(value, "a=" + name + " value", true);
    }

    public static Attribute flag(String name) {
        return new Attribute(name, null);
    }
}
