/**
 * `registerPretrained`: your own weights under a tag, checked when they are
 * registered (the model exists, the tag has the `<model>.<name>` shape, the
 * source, transform and labels are valid) rather than when they are first
 * used. It lives beside the model registry because it asks it.
 */
import { checkPositiveInt } from '@resnet/blocks';
import { platform } from '#platform';
import { configOf } from '../pretrained/config.js';
import { addPretrained, hasPretrained, type PretrainedEntry } from '../pretrained/table.js';
import { PREPROCESS_MODES } from '../spec/transform.js';
import { listModels } from './registry.js';
import { checkVariants } from '../pretrained/variants.js';

const FORMATS = ['torchvision', 'timm', 'keras'];
const VARIANTS = ['v1', 'v1.5', 'v2'];

/**
 * Adds pretrained weights under `tag` (`'<model>.<name>'`, as timm names
 * them). Everything is checked here, so a bad entry fails at once naming the
 * field. `source.url` may be an `https:` URL (downloaded once and cached), in
 * Node a path or `file:` URL (read in place), in browsers a URL relative to
 * the page. To serve your own copy of a built-in entry, spread it and replace
 * its `source`; weights with another class count need their `numClasses` and
 * `labels` (or `labels: undefined` for the class indices).
 *
 * @example
 * ```ts
 * registerPretrained('resnet18.my_pets', {
 *   ...getPretrained('resnet18.tv_in1k'),             // same model and eval transform
 *   source: { url: 'https://example.com/resnet18-pets.safetensors', format: 'torchvision' },
 *   numClasses: 37,
 *   labels: Array.from({ length: 37 }, (_, i) => `breed ${i}`),
 *   license: 'CC-BY-4.0',
 *   top1: undefined,
 * });
 * const pets = await loadClassifier('resnet18.my_pets');
 * ```
 */
export function registerPretrained(tag: string, entry: PretrainedEntry): void {
  const what = `registerPretrained('${String(tag)}')`;
  if (entry == null || typeof entry !== 'object') throw new Error(`${what}: entry must be an object, got ${String(entry)}`);
  const models = listModels();
  if (typeof entry.model !== 'string' || !models.includes(entry.model)) {
    throw new Error(`${what}: unknown model ${JSON.stringify(entry.model)}; register it first (registerModel) or use one of: ${models.join(', ')}`);
  }
  if (typeof tag !== 'string' || !tag.startsWith(`${entry.model}.`) || !/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(tag.slice(entry.model.length + 1))) {
    throw new Error(`${what}: the tag must be '<model>.<name>' with the entry's model first, e.g. '${entry.model}.my_weights' (letters, digits, _ . -)`);
  }
  if (hasPretrained(tag)) throw new Error(`${what}: tag '${tag}' already exists`);
  const src = entry.source as PretrainedEntry['source'] | undefined;
  if (src == null || typeof src !== 'object') {
    throw new Error(`${what}: source must be { url, format } (the file and its loader convention), got ${JSON.stringify(src)}`);
  }
  if (typeof src.url !== 'string' || src.url === '') throw new Error(`${what}: source.url must be a URL${platform.name === 'node' ? ', a path or a file: URL' : ''}, got ${JSON.stringify(src.url)}`);
  platform.locate(src.url); // a file: URL in a browser fails here, naming it
  if (!FORMATS.includes(src.format)) {
    const hint = (src.format as string) === 'tfjs' ? " (a tfjs model.json comes with shards: load it with loadWeights(model, path, { from: 'tfjs' }))" : '';
    throw new Error(`${what}: source.format must be 'torchvision', 'timm' or 'keras', got ${JSON.stringify(src.format)}${hint}`);
  }
  if (src.sha256 != null && !/^[0-9a-fA-F]{64}$/.test(src.sha256)) throw new Error(`${what}: source.sha256 must be 64 hex digits or null, got ${JSON.stringify(src.sha256)}`);
  if (src.md5 !== undefined && !/^[0-9a-fA-F]{32}$/.test(src.md5)) throw new Error(`${what}: source.md5 must be 32 hex digits, got ${JSON.stringify(src.md5)}`);
  if (src.revision != null && typeof src.revision !== 'string') throw new Error(`${what}: source.revision must be a string or null, got ${JSON.stringify(src.revision)}`);
  checkVariants(tag, src.format, src.variants);
  const variant = entry.modelOptions?.variant;
  if (variant !== undefined && !VARIANTS.includes(variant)) throw new Error(`${what}: modelOptions.variant must be 'v1', 'v1.5' or 'v2', got ${JSON.stringify(variant)}`);
  checkPositiveInt(entry.numClasses, `${what}: numClasses`);
  if (entry.labels !== undefined) {
    if (!Array.isArray(entry.labels) || !entry.labels.every((l) => typeof l === 'string')) throw new Error(`${what}: labels must be an array of strings`);
    if (entry.labels.length !== entry.numClasses) {
      throw new Error(`${what}: ${entry.labels.length} labels for numClasses ${entry.numClasses}; give one label per class (or labels: undefined for the class indices)`);
    }
  }
  if (!PREPROCESS_MODES.includes(entry.preprocess)) throw new Error(`${what}: preprocess must be 'torch', 'caffe' or 'tf', got ${JSON.stringify(entry.preprocess)}`);
  checkPositiveInt(entry.inputSize, `${what}: inputSize`);
  try {
    configOf(tag, entry); // the transform: resizeSize, interpolation, mean, std …
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message.replace(/^preprocess: /, '')}`);
  }
  addPretrained(tag, entry);
}
