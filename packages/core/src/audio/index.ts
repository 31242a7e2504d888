// `@beluga-voice/core/audio`: the one home of the audio primitives every package shares.
export { type G711Law, g711Decode, g711DecodeF32, g711Encode } from './g711.js';
export { meanSquare, rmsDb, SILENCE_DB } from './level.js';
export { codingBytes, codingOfEncoding, type DecodeTarget, decodedEncoding, decodeSamples } from './sample-coding.js';
export { type DecodedSamples, type DecodedWav, decodeWav } from './wav-decode.js';
export {
  parseWavHeader,
  type ReadAt,
  WAV_UNKNOWN_SIZE,
  WavFormatError,
  type WavInfo,
  type WavSampleCoding,
  wavHeader,
  wavHeaderSize,
} from './wav-header.js';
