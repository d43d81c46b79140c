/**
 * The SCTP wire format: the common header with CRC32c, and one value class per chunk type with strict parsing (every
 * length checked against its container; {@link org.conclave.sfu.sctp.chunk.SctpFormatException} otherwise) and
 * writing. Unknown chunk and parameter types follow the upper two bits of their type (RFC 9260 §3.2, §3.2.1).
 */
package org.conclave.sfu.sctp.chunk;
