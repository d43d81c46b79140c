package org.conclave.tests.harness;

import org.conclave.sfu.control.Role;

/** An endpoint a peer allocated through the {@link SignalServer}, with its event log. */
public record AllocatedEndpoint(String endpointId, String conferenceId, String participant, Role role, EventLog events) {}
