#!/usr/bin/env node
import { errorMessage } from '../secrets.js';
import { EXIT } from './exit-codes.js';
import { processIo } from './io.js';
import { main } from './main.js';

// No forced exit: a finished run leaves no handle open, and the CLI tests would hang if one did.
main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`beluga: ${errorMessage(error)}\n`);
    process.exitCode = EXIT.failed;
  },
);
