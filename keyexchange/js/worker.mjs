// Dedicated worker for RTCRtpScriptTransform (load with new Worker(url, {type: 'module'})).
// Main thread: sender.transform = new RTCRtpScriptTransform(worker, {operation: 'encrypt', codec: 'VP8'});
//              receiver.transform = new RTCRtpScriptTransform(worker, {operation: 'decrypt', senderId, codec});
// (a sender transform must be set before setLocalDescription). Keys arrive as messages:
//   {type: 'setSendKey', index, key: Uint8Array} | {type: 'addRemoteKey', senderId, index, key} | {type: 'stats'}.
import { E2eeState } from './transform.mjs';

const state = new E2eeState();

self.onmessage = async ({ data }) => {
  if (data.type === 'setSendKey') await state.setSendKey({ index: data.index, key: data.key });
  else if (data.type === 'addRemoteKey') await state.addRemoteKey(data.senderId, { index: data.index, key: data.key });
  else if (data.type === 'stats') self.postMessage({ type: 'stats', stats: state.stats });
};

self.onrtctransform = ({ transformer }) => {
  transformer.readable.pipeThrough(state.transformStream(transformer.options)).pipeTo(transformer.writable);
};
