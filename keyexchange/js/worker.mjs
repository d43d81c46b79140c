// Dedicated worker for RTCRtpScriptTransform (load with new Worker(url, {type: 'module'})).
// Main thread: sender.transform = new RTCRtpScriptTransform(worker, {operation: 'encrypt'});
//              receiver.transform = new RTCRtpScriptTransform(worker, {operation: 'decrypt', senderId});
// A sender transform must be set in the same task as the addTrack/addTransceiver that made the sender, with no await
// in between: Chromium (156) lets the frames of a sender that had no transform when that task ended bypass any
// transform set later, so they would go out in clear. The codec comes from each frame's metadata mimeType, or name it
// with a codec option. Keys and stats go by message, see connectWorker in transform.mjs:
//   {type: 'setSendKey', index, key: Uint8Array} | {type: 'addRemoteKey', senderId, index, key} | {type: 'stats'}.
import { connectWorker } from './transform.mjs';

connectWorker(self);
