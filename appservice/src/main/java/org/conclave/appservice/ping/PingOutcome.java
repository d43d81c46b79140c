package org.conclave.appservice.ping;

/** What the appservice ping (spec v1.7) said about the connection between homeserver and appservice. */
public enum PingOutcome {
    /** Both directions work and the homeserver's hs_token is ours. */
    OK,
    /** We cannot reach the homeserver's client-server API at all. */
    HOMESERVER_UNREACHABLE,
    /** The homeserver cannot connect to our registration url (M_CONNECTION_FAILED / M_CONNECTION_TIMEOUT). */
    APPSERVICE_UNREACHABLE,
    /** The homeserver reached us but we refused its hs_token (its registration is not ours). */
    HS_TOKEN_MISMATCH,
    /** The homeserver does not take our as_token for our appservice id (registration not loaded, or older). */
    AS_TOKEN_UNKNOWN,
    /** The homeserver's copy of the registration has no url. */
    URL_NOT_SET,
    /** The homeserver predates the ping endpoint: the connection could not be checked. */
    NOT_SUPPORTED,
    /** Something answered at our url with another error: the url may point elsewhere. */
    APPSERVICE_ERROR,
    /** Any other answer. */
    UNEXPECTED
}
