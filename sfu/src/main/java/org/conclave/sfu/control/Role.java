package org.conclave.sfu.control;

/** What a participant may do in a conference; handed over by the appservice. */
public enum Role { HOST, GUEST }
