#!/usr/bin/env node
import { errorMessage } from '../secrets.js';
import { EXIT } from './exit-codes.js';
import { processIo } from './io.js';
import { main } from './main.js';

/** A node that leaves a handle open must not keep a finished command alive for ever. */
const EXIT_GRACE_MS = 2000;

function exitWith(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}

main(process.argv.slice(2), processIo()).then(exitWith, (error: unknown) => {
  process.stderr.write(`beluga: ${errorMessage(error)}\n`);
  exitWith(EXIT.failed);
});
