import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { BusEvent } from '../bus.js';
import { errorMessage, redact } from '../secrets.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo, StopSignals } from './io.js';
import { loadForCli } from './load.js';
import { RunDisplay } from './run-display.js';

export interface RunOptions {
  /** Writes every bus event and every non-audio frame as JSON lines to this file. */
  readonly events?: string;
  readonly verbose?: boolean;
  /** How long the first Ctrl-C lets queues drain. */
  readonly drainTimeoutMs?: number;
}

const EVENTS_FLUSH_WAIT_MS = 1000;

/**
 * Builds and runs a pipeline until it ends. The first Ctrl-C drains (stop), a second one aborts.
 * Exit: 0 ended or drained, 1 invalid, 2 failed, 130 aborted.
 */
export async function runCommand(
  file: string,
  options: RunOptions,
  io: CliIo,
  signals: StopSignals = process,
): Promise<ExitCode> {
  const loaded = await loadForCli(file, io);
  if (typeof loaded === 'number') return loaded;
  const display = new RunDisplay(io.stderr, io.stderr.isTTY === true, options.verbose);
  const events = options.events ? createWriteStream(resolve(io.cwd, options.events)) : undefined;
  const running = loaded.graph!.start({ baseDir: loaded.baseDir, emitFrames: events !== undefined });
  let busEnded!: () => void;
  const busDone = new Promise<void>((done) => (busEnded = done));
  const subscription = running.events$.subscribe({
    next: (event) => {
      display.onEvent(event);
      events?.write(`${redact(JSON.stringify(eventRecord(event)))}\n`);
    },
    complete: () => busEnded(),
  });
  const redraw = io.stderr.isTTY ? setInterval(() => display.draw(), 100) : undefined;
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts += 1;
    if (interrupts === 1) {
      display.line('stopping: draining queues (Ctrl-C again to abort)');
      running.stop({ timeoutMs: options.drainTimeoutMs ?? 5000 }).catch(() => undefined);
    } else {
      display.line('aborting');
      running.abort('interrupted by the user').catch(() => undefined);
    }
  };
  // SIGTERM (a service manager, docker stop) drains like Ctrl-C.
  signals.on('SIGINT', onInterrupt);
  signals.on('SIGTERM', onInterrupt);
  let code: ExitCode = EXIT.ok;
  try {
    await running.done;
  } catch (error) {
    code = interrupts >= 2 ? EXIT.aborted : EXIT.failed;
    const message = errorMessage(error);
    if (code === EXIT.failed && !display.fatalErrors.has(message)) display.line(`pipeline failed: ${message}`);
  } finally {
    signals.off('SIGINT', onInterrupt);
    signals.off('SIGTERM', onInterrupt);
    if (redraw) clearInterval(redraw);
    await Promise.race([busDone, new Promise((r) => setTimeout(r, EVENTS_FLUSH_WAIT_MS).unref())]);
    subscription.unsubscribe();
    display.finish();
    display.lossSummary();
    await closeStream(events);
  }
  return code;
}

/** One JSON line: the bus event as is, plus the wall-clock time it was written. */
function eventRecord(event: BusEvent): Record<string, unknown> {
  return { ...event, wallTime: new Date().toISOString() };
}

function closeStream(stream: WriteStream | undefined): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done())));
}
