/**
 * Drift of the fp16 and q8 variants on real photos, against torchvision
 * (tools/fixtures/make_dtype_drift.py): a formula-weight ResNet-18 converted
 * here with `convertWeights`, loaded, and fed the nine reference crops of
 * make_photos.py. Per dtype, our dequantized state dict must equal
 * torchvision's to the bit (SHA-256), our logits torchvision's logits for that
 * dtype, and our drift against fp32 the drift torchvision measured.
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { maxRelDiff } from '@resnet/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../io/decode.js';
import { createModel } from '../models/create.js';
import { logicalTensors } from '../safetensors/quantize.js';
import { parseSafetensors, readTensorAsFloat32 } from '../safetensors/read.js';
import { fixturePath, formulaSafetensors, readFixtureJson, type GoldenModel } from '../testing/fixtures.js';
import type { WeightDtype } from '../spec/weights.js';
import { convertWeights } from './dtype-variants.js';
import { loadWeights } from './load.js';

interface Drift {
  photos: string[];
  recipe: string;
  stateSha256: Record<WeightDtype, string>;
  top5: Record<WeightDtype, Record<string, number[]>>;
  drift: Record<'fp16' | 'q8', { maxRelLogitDiff: number; top5Overlap: number[]; top1Same: number }>;
}

const ref = readFixtureJson<Drift>('dtype_drift.json');
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const DTYPES: WeightDtype[] = ['fp32', 'fp16', 'q8'];
const top5 = (row: number[]) => row.map((v, k) => [v, k] as const).sort((a, b) => b[0] - a[0]).slice(0, 5).map(([, k]) => k);

describe('fp16 / q8 drift on real photos, against torchvision', () => {
  const fp32 = formulaSafetensors(readFixtureJson<Record<string, GoldenModel>>('golden.json').resnet18!.keys);
  const files: Record<WeightDtype, Uint8Array> = { fp32, fp16: convertWeights(fp32, 'fp16'), q8: convertWeights(fp32, 'q8') };
  const logits = {} as Record<WeightDtype, number[][]>;

  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it('our dequantized state dicts are torchvision’s to the bit', () => {
    for (const d of DTYPES) {
      const h = createHash('sha256');
      for (const t of logicalTensors(parseSafetensors(files[d])).values()) if (t.stored !== 'I64') h.update(t.read());
      expect(h.digest('hex'), d).toBe(ref.stateSha256[d]);
    }
  });

  it('logits per dtype equal torchvision’s; drift against fp32 and top-5 agreement as torchvision measured (figures printed)', async () => {
    // torchvision's input: the stored reference crop, ÷255 then normalised, in float32.
    const batch = new Float32Array(ref.photos.length * 224 * 224 * 3);
    for (const [i, photo] of ref.photos.entries()) {
      const img = await decodeImage(fixturePath(`photos/ref/${photo}.${ref.recipe}.webp`));
      img.data.forEach((v, j) => (batch[i * 224 * 224 * 3 + j] = (Math.fround(v / 255) - MEAN[j % 3]!) / STD[j % 3]!));
    }
    const refs = parseSafetensors((await import('node:fs')).readFileSync(fixturePath('dtype_drift_resnet18_logits.safetensors')));
    const model = createModel('resnet18');
    const x = tf.tensor4d(batch, [ref.photos.length, 224, 224, 3]);
    const before = tf.memory().numTensors;
    const rows: string[] = [];
    for (const d of DTYPES) {
      await loadWeights(model, files[d], { from: 'torchvision' });
      const y = model.predict(x) as tf.Tensor;
      logits[d] = (await y.array()) as number[][];
      y.dispose();
      const want = ref.photos.map((p) => Array.from(readTensorAsFloat32(refs, `${p}/${d}`)));
      const rel = Math.max(...ref.photos.map((_, i) => maxRelDiff([logits[d][i]!], [want[i]!])));
      rows.push(`${d}: logits vs torchvision's ${d} rel. max diff ${rel.toExponential(2)}`);
      expect(rel, d).toBeLessThanOrEqual(1e-5);
      ref.photos.forEach((p, i) => expect(top5(logits[d][i]!), `${d} ${p}`).toEqual(ref.top5[d][p]));
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
    for (const d of ['fp16', 'q8'] as const) {
      const rel = Math.max(...ref.photos.map((_, i) => maxRelDiff([logits[d][i]!], [logits.fp32[i]!])));
      const overlap = ref.photos.map((_, i) => top5(logits[d][i]!).filter((k) => top5(logits.fp32[i]!).includes(k)).length);
      const top1 = ref.photos.filter((_, i) => top5(logits[d][i]!)[0] === top5(logits.fp32[i]!)[0]).length;
      rows.push(
        `${d} vs fp32: rel. max logit diff ${rel.toExponential(2)} (torchvision ${ref.drift[d].maxRelLogitDiff.toExponential(2)}); ` +
          `top-5 overlap per photo ${overlap.join(' ')}; top-1 same on ${top1}/${ref.photos.length}`,
      );
      expect(overlap).toEqual(ref.drift[d].top5Overlap);
      expect(top1).toBe(ref.drift[d].top1Same);
      expect(Math.abs(rel - ref.drift[d].maxRelLogitDiff)).toBeLessThanOrEqual(0.05 * ref.drift[d].maxRelLogitDiff);
      // The variants do change the network: a loader that ignored the scales or the halves would not drift at all.
      expect(rel).toBeGreaterThan(d === 'fp16' ? 1e-4 : 1e-3);
    }
    console.log(`ResNet-18 (formula weights), ${ref.photos.length} real photos (${ref.recipe}):\n  ${rows.join('\n  ')}`);
  });
});
