/**
 * Your own copy of a tag's weights file, as `createModel(tag, { weights })`
 * and `loadClassifier(tag, { weights })` take it: a path or `file:` URL
 * (Node), a URL (relative ones in browsers), the bytes, or a fetch
 * `Response`. Read as given (not cached, not hash-checked), and refused at
 * once when its kind does not fit the tag's format.
 */
import { readBytes } from '../io/bytes.js';
import type { FetchLike, ResponseLike } from '../net/fetch.js';
import type { SingleFileFormat } from '../spec/weights.js';
import { isHdf5 } from './hdf5-signature.js';

function isResponse(x: unknown): x is ResponseLike {
  return typeof x === 'object' && x !== null && !(x instanceof URL) && !ArrayBuffer.isView(x) && typeof (x as ResponseLike).arrayBuffer === 'function';
}

/** The bytes of `input`, checked against the tag's format (HDF5 for Keras, not HDF5 for safetensors). */
export async function readWeightsInput(
  input: string | URL | ArrayBuffer | Uint8Array | ResponseLike,
  opts: { tag: string; format: SingleFileFormat; fetch?: FetchLike },
): Promise<Uint8Array> {
  let bytes: Uint8Array;
  let name: string;
  if (isResponse(input)) {
    if (!input.ok) throw new Error(`weights for '${opts.tag}': the Response is HTTP ${input.status}${input.statusText ? ` ${input.statusText}` : ''}, not the file`);
    bytes = new Uint8Array(await input.arrayBuffer());
    name = 'the Response';
  } else {
    ({ bytes, name } = await readBytes(input, { fetch: opts.fetch, what: 'weights file' }));
  }
  const h5 = isHdf5(bytes);
  if (opts.format === 'keras' && !h5) {
    throw new Error(`weights for '${opts.tag}' (${name}): not a Keras HDF5 file (no \\x89HDF signature); '${opts.tag}' takes Keras applications .h5 weights`);
  }
  if (opts.format !== 'keras' && h5) {
    throw new Error(
      `weights for '${opts.tag}' (${name}): a Keras HDF5 file, but '${opts.tag}' takes a PyTorch state dict in safetensors; ` +
        `name a Keras tag (e.g. 'resnet50.keras_in1k') or use loadWeights(model, file, { from: 'keras' })`,
    );
  }
  return bytes;
}
