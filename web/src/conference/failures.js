// Every way joining or staying in a conference can fail, in words a person can act on. A Failure carries a code
// (for tests and styling), a title and a sentence saying what to do.
export class Failure extends Error {
  constructor(code, title, advice, detail) {
    super(`${title} ${advice}`);
    this.code = code;
    this.title = title;
    this.advice = advice;
    this.detail = detail ?? null;
  }
}

export const failures = {
  notMember: (room, invited) => new Failure('not_member', `You are not a member of ${room}.`,
    invited ? 'You are invited: accept the invitation (join the room) in your Matrix client, then try again.'
      : 'Ask someone in the room to invite you, join it, then try again.'),
  noConferenceServer: (bot) => new Failure('no_conference_server', 'Conclave is not in this room.',
    `A room admin needs to invite ${bot} to the room once; then anyone in it can start a conference.`),
  locked: () => new Failure('locked', 'This conference is locked.',
    'You are in the waiting room: a host of the conference will let you in, or not. Stay on this page.'),
  waitingTimedOut: (reason) => new Failure('waiting_timed_out', 'Nobody let you in.',
    `The waiting room closed: ${reason || 'no host admitted you in time'}. Ask a host in the room to look out for `
    + 'you, then join again.'),
  refused: (reason) => new Failure('refused', 'A host did not let you in.',
    reason ? `They said: “${reason}”.` : 'Ask a host in the room if you think this was a mistake.'),
  disconnected: (reason) => new Failure('disconnected', 'A host removed you from the conference.',
    reason ? `They said: “${reason}”.` : 'You can join again if a host allows it.'),
  cameraDenied: (what) => new Failure('camera_denied', `Your browser did not allow the ${what}.`,
    `Allow the ${what} for this site (the icon in the address bar), then choose it again — or join without it.`),
  noDevices: () => new Failure('no_devices', 'No camera or microphone was found.',
    'You can still join to see and hear the others.'),
  network: (detail) => new Failure('network_blocked', 'Your network blocks the connection to the conference server.',
    'No network path to it was found (UDP may be blocked by a firewall or VPN). Try another network, or ask your '
    + 'administrator to allow UDP to the conference server or to set up a TURN relay.', detail),
  sfuUnreachable: (detail) => new Failure('sfu_unreachable', 'The conference server did not answer.',
    'It may be down or restarting. Try again in a minute; if it keeps failing, tell the server\'s operator.', detail),
  refusedByServer: (reason) => new Failure('refused_by_server', 'The conference server refused the call.',
    reason || 'It gave no reason.'),
  noE2ee: () => new Failure('no_e2ee', 'This browser cannot encrypt media end to end.',
    'Conferences here are end-to-end encrypted, and this browser lacks the Encoded Transform API. '
    + 'Use a current Chromium, Chrome, Edge, Firefox (117 or later) or Safari.'),
  mediaRefused: (words) => new Failure('media_refused', 'Nobody can see or hear you.',
    words || 'This conference requires end-to-end-encrypted media and the conference server received yours '
    + 'unencrypted, so it forwards none of it. Leave and join again from a browser that encrypts media.'),
  ended: (reason) => new Failure('ended', 'The call ended.', reason || 'You can join again.'),
};

/** The missing-keys warning: names who we hold no media key from. */
export function missingKeysText(names) {
  if (!names.length) return null;
  return `No media key from ${names.join(', ')} yet: you cannot see or hear them until their key arrives `
    + '(their client may be unable to reach your device through Matrix encryption).';
}
