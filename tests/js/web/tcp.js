// ICE-TCP from a page whose network blocks UDP: the SFU's answer and offers lose their UDP candidates, so only the
// passive TCP ones (RFC 6544) can be paired.

/** {@code sdp} without its a=candidate lines of transport UDP. */
export function withoutUdpCandidates(sdp) {
  return sdp.split('\r\n').filter((line) => !/^a=candidate:\S+ \d+ udp /i.test(line)).join('\r\n');
}

/** The protocols ("udp", "tcp") of the two candidates of the selected pair, null where there is none. */
export async function selectedPairProtocols(pc) {
  const stats = await pc.getStats();
  let pair = null;
  stats.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
  });
  if (!pair) stats.forEach((s) => { if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s; });
  const local = pair ? stats.get(pair.localCandidateId) : null;
  const remote = pair ? stats.get(pair.remoteCandidateId) : null;
  return { local: local ? local.protocol : null, remote: remote ? remote.protocol : null };
}
