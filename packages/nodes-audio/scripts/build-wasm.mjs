// Compiles wasm/*.wat (WebAssembly text written by hand) to wasm/*.wasm with wabt. Run by the
// root `build` and `test` scripts; the .wasm files ship in the package and load offline.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import createWabt from 'wabt';

const dir = fileURLToPath(new URL('../wasm/', import.meta.url));

/** The binary for one WAT source (SIMD enabled), or throws naming the file and the error. */
export async function compileWat(file) {
  const wabt = await createWabt();
  const module = wabt.parseWat(file, readFileSync(dir + file, 'utf8'), { simd: true });
  try {
    module.validate();
    return Buffer.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
    writeFileSync(dir + file.replace(/\.wat$/, '.wasm'), await compileWat(file));
  }
}
