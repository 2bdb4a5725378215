// AudioWorklet for jibsa's microphone: passes each block of the (16 kHz, mono) input to the page.
class CaptureProcessor extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) this.port.postMessage(channel.slice(0));
    return true;
  }
}
registerProcessor("jibsa-capture", CaptureProcessor);
