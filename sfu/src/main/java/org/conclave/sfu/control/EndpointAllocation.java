package org.conclave.sfu.control;

/** The result of {@link SfuControl#allocate}. */
public record EndpointAllocation(String endpointId, String conferenceId) {}
