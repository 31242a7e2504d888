import type { Frame } from './frames.js';

export type PipelineState = 'created' | 'starting' | 'running' | 'draining' | 'stopped' | 'failed';
export type NodeState = 'created' | 'running' | 'restarting' | 'closed' | 'failed';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What happened on the bus. `time` is the pipeline clock in ms; `node` the node id when one is concerned. */
export type BusEvent =
  | { type: 'pipeline-state'; time: number; state: PipelineState; reason?: string }
  | { type: 'node-state'; time: number; node: string; state: NodeState; reason?: string }
  | { type: 'error'; time: number; node?: string; code?: string; message: string; fatal: boolean }
  | { type: 'warning'; time: number; node?: string; code?: string; message: string }
  | { type: 'log'; time: number; node?: string; level: LogLevel; message: string; data?: Record<string, unknown> }
  | {
      type: 'metric';
      time: number;
      node?: string;
      name: string;
      value: number;
      unit?: string;
      attributes?: Record<string, string | number | boolean>;
    }
  | { type: 'mark'; time: number; node?: string; name: string; data?: Record<string, unknown> }
  | {
      type: 'converter-inserted';
      time: number;
      node: string;
      converter: string;
      from: string;
      to: string;
      reason: string;
    }
  | { type: 'frame'; time: number; node: string; port: string; frame: Frame };

export type BusEventType = BusEvent['type'];

/** What a node may emit: the runtime stamps `time` and `node`. */
export type BusEmission = BusEvent extends infer E ? (E extends BusEvent ? Omit<E, 'time' | 'node'> : never) : never;

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** Discards everything (the default where no logger is given). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
