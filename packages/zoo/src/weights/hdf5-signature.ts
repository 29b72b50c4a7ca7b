/**
 * The HDF5 file signature, apart from the Keras reader so that telling a
 * `.h5` file from a safetensors one does not pull the reader (and h5wasm,
 * 5.6 MB) into an app that never loads Keras weights.
 */

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when `bytes` start with the HDF5 signature (`\x89HDF\r\n\x1a\n`). */
export function isHdf5(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 8 && HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}
