import type { AnyNodeSpec } from '@beluga-voice/core';
import { alawDecode } from './alaw-decode.js';
import { alawEncode } from './alaw-encode.js';
import { fileSink } from './file-sink.js';
import { fileSource } from './file-source.js';
import { mulawDecode } from './mulaw-decode.js';
import { mulawEncode } from './mulaw-encode.js';
import { nullSink } from './null-sink.js';
import { opusDecode } from './opus-decode.js';
import { opusEncode } from './opus-encode.js';
import { pace } from './pace.js';
import { recorder } from './recorder.js';
import { reframe } from './reframe.js';
import { resample } from './resample-node.js';
import { vadEnergy } from './vad-energy-node.js';

/** Every node type of @beluga-voice/nodes-audio, for discovery (`"beluga": { "nodes": "./dist/nodes.js" }`). */
export const nodes: readonly AnyNodeSpec[] = [
  fileSource,
  fileSink,
  nullSink,
  recorder,
  resample,
  reframe,
  mulawEncode,
  mulawDecode,
  alawEncode,
  alawDecode,
  opusEncode,
  opusDecode,
  pace,
  vadEnergy,
];
