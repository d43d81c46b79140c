package org.conclave.appservice.registration;

import org.conclave.appservice.config.AppserviceConfig;

/**
 * The users this appservice owns, the same set as the registration's exclusive regexes
 * ({@link Registration#expectedUserRegexes}) but matched in full: {@code @<prefix>...:<server_name>} and the sender.
 */
public final class UserNamespace {
    private final String prefix;
    private final String suffix;
    private final String sender;

    public UserNamespace(AppserviceConfig config) {
        this.prefix = "@" + config.userNamespacePrefix();
        this.suffix = ":" + config.serverName();
        this.sender = config.senderUserId();
    }

    public boolean contains(String userId) {
        if (userId == null) return false;
        if (userId.equals(sender)) return true;
        if (!userId.startsWith(prefix) || !userId.endsWith(suffix)) return false;
        // The rest of the localpart lies between; a ':' in it would mean another server name.
        return userId.indexOf(':') == userId.length() - suffix.length();
    }

    public String senderUserId() {
        return sender;
    }

    /** The localpart of a user id ({@code @local:server} → {@code local}). */
    public static String localpart(String userId) {
        int colon = userId.indexOf(':');
        return userId.substring(1, colon < 0 ? userId.length() : colon);
    }
}
