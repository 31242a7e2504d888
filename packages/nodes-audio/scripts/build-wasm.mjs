// Compiles every package's wasm/*.wat (WebAssembly text written by hand) to wasm/*.wasm with wabt.
// Run by the root `build` and `test` scripts; the .wasm files ship in their packages and load offline.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createWabt from 'wabt';

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));
const ownDir = fileURLToPath(new URL('../wasm/', import.meta.url));

/** The binary for one WAT source in `dir` (SIMD enabled), or throws naming the file and the error. */
export async function compileWat(file, dir = ownDir) {
  const wabt = await createWabt();
  const module = wabt.parseWat(file, readFileSync(join(dir, file), 'utf8'), { simd: true });
  try {
    module.validate();
    return Buffer.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}

/** The wasm/ folder of every package that has one. */
export function wasmDirs() {
  return readdirSync(packagesDir)
    .map((name) => join(packagesDir, name, 'wasm'))
    .filter((dir) => existsSync(dir));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const dir of wasmDirs()) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
      writeFileSync(join(dir, file.replace(/\.wat$/, '.wasm')), await compileWat(file, dir));
    }
  }
}
