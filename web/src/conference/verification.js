// Device verification of the people in the call, as matrix-js-sdk's crypto gives it
// (getDeviceVerificationStatus): 'verified' (cross-signed by a user we verified, or verified locally), 'unverified',
// or 'unknown' (our crypto does not know the device). Shown in the people panel; it does not gate media keys
// (docs/web.md: who gets keys is decided by room membership, and the check code is how people compare).
export const LEVEL_TEXT = {
  verified: { label: 'verified', title: 'You verified this device (or its owner’s cross-signing identity).' },
  unverified: { label: 'not verified', title: 'This device is not verified: compare the check code aloud, or verify '
    + 'the person in your Matrix client.' },
  unknown: { label: 'device unknown', title: 'Your encryption does not know this device yet.' },
};

export class Verification {
  /** @param crypto matrix-js-sdk's CryptoApi; @param onChange called when a device's level changed */
  constructor(crypto, onChange) {
    this.crypto = crypto;
    this.onChange = onChange;
    this.levels = new Map(); // "user|device" -> level
  }

  /** Reads the level of each device [{userId, deviceId}] and calls onChange once if any changed. */
  async refresh(devices) {
    let changed = false;
    for (const { userId, deviceId } of devices) {
      if (!userId || !deviceId) continue;
      const status = await this.crypto.getDeviceVerificationStatus(userId, deviceId).catch(() => null);
      const level = !status ? 'unknown' : status.isVerified() ? 'verified' : 'unverified';
      const key = `${userId}|${deviceId}`;
      if (this.levels.get(key) !== level) {
        this.levels.set(key, level);
        changed = true;
      }
    }
    if (changed) this.onChange();
  }

  of(userId, deviceId) {
    return this.levels.get(`${userId}|${deviceId}`) ?? null;
  }
}
