/**
 * Small sample arrays carved out of shared 16 KiB slabs, as Node pools small Buffers: a 20 ms
 * frame is 320-1920 bytes, and allocating each its own ArrayBuffer (a malloc, a backing-store
 * record, a sweep) was a visible share of a busy process's CPU and GC. A slab is freed once every
 * array carved from it is garbage; a larger array gets its own buffer.
 */
const SLAB_BYTES = 16 * 1024;
const LARGEST_CARVED = 4 * 1024;
/** Every carve starts on an 8-byte boundary, so any typed array can view it. */
const ALIGN = 8;

let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

/** Fresh, zeroed bytes for `byteLength` bytes of samples: a buffer and the offset they start at. */
export function carveSampleBytes(byteLength: number): { buffer: ArrayBuffer; byteOffset: number } {
  if (byteLength > LARGEST_CARVED || byteLength === 0) return { buffer: new ArrayBuffer(byteLength), byteOffset: 0 };
  if (used + byteLength > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const byteOffset = used;
  used += (byteLength + ALIGN - 1) & ~(ALIGN - 1);
  return { buffer: slab, byteOffset };
}
