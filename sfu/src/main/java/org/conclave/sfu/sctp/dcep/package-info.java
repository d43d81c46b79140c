/** The Data Channel Establishment Protocol (RFC 8832): DATA_CHANNEL_OPEN/ACK, channel types and the PPIDs. */
package org.conclave.sfu.sctp.dcep;
