// Flags from /work/shared/reference/real-peers.md: no sandbox/GPU, nothing reaching outside hosts, fake devices
// (which also keeps host candidates free of mDNS names). Shared by chromium-peers.mjs and matrix/driver.mjs.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];
