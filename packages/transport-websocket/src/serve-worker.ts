// One worker of `beluga serve --workers N`: a whole `beluga serve` with the arguments the primary gave it.
import { runServeCli, type ServeSignals } from './serve-cli.js';

// Ctrl-C reaches the whole process group: only the primary's SIGTERMs drain (first) or end (second) a worker.
process.on('SIGINT', () => undefined);
const signals: ServeSignals = {
  on: (signal, listener) => (signal === 'SIGTERM' ? process.on(signal, listener) : undefined),
  off: (signal, listener) => process.off(signal, listener),
};
const io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
runServeCli(process.argv.slice(2), io, signals).then(
  (code) => {
    process.exitCode = code;
    // The IPC channel to the primary would keep the worker alive.
    process.disconnect?.();
  },
  (error: unknown) => {
    process.stderr.write(`serve failed: ${(error as Error).message}\n`);
    process.exitCode = 2;
    process.disconnect?.();
  },
);
