// ICE-TCP from a page whose network blocks UDP: the SFU's answer and offers lose their UDP candidates, so only the
// passive TCP ones (RFC 6544) can be paired.
import { selectedPair } from './turn.js';

/** {@code sdp} without its a=candidate lines of transport UDP. */
export function withoutUdpCandidates(sdp) {
  return sdp.split('\r\n').filter((line) => !/^a=candidate:\S+ \d+ udp /i.test(line)).join('\r\n');
}

/** The protocols ("udp", "tcp") of the two candidates of the selected pair, null where there is none. */
export async function selectedPairProtocols(pc) {
  const { local, remote } = await selectedPair(pc);
  return { local: local ? local.protocol : null, remote: remote ? remote.protocol : null };
}
