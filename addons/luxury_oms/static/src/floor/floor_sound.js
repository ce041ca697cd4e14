import { browser } from "@web/core/browser/browser";

let audioContext = null;

/**
 * A short beep through WebAudio: one high note for a good scan, two low ones for a refused
 * scan, so the picker hears the answer without looking. Silent where the browser has no
 * WebAudio or forbids sound before a user gesture.
 */
export function beep(ok) {
    const AudioContext = browser.AudioContext || browser.webkitAudioContext;
    if (!AudioContext) {
        return;
    }
    try {
        audioContext = audioContext || new AudioContext();
        const notes = ok ? [[880, 0]] : [[220, 0], [220, 0.22]];
        for (const [frequency, start] of notes) {
            const oscillator = audioContext.createOscillator();
            const gain = audioContext.createGain();
            oscillator.type = ok ? "sine" : "square";
            oscillator.frequency.value = frequency;
            gain.gain.value = 0.15;
            oscillator.connect(gain).connect(audioContext.destination);
            const at = audioContext.currentTime + start;
            oscillator.start(at);
            oscillator.stop(at + (ok ? 0.12 : 0.18));
        }
    } catch {
        // No sound is no reason to stop the floor: the colour and the message remain.
    }
}
