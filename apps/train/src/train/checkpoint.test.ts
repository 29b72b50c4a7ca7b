import { createHash } from 'node:crypto';
import fs, { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runExport } from '../commands/export.js';
import { saveTinyCheckpoint, tinyModel, tinyState } from '../testing/checkpoint-fixture.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';

const root = mkdtempSync(join(tmpdir(), 'resnet-checkpoint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
let n = 0;
const fresh = (): string => join(root, `run${n++}`);
const state = (dir: string): { epoch: number } => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));

/** Loads, collecting warnings; disposes what it loaded. */
async function load(out: string): Promise<{ dir: string; epoch: number; warnings: string[] }> {
  const warnings: string[] = [];
  const ck = await loadCheckpoint(out, { warn: (m) => warnings.push(m) });
  ck.model.dispose();
  tf.dispose(ck.buffers ?? []);
  return { dir: ck.dir, epoch: ck.state.epoch, warnings };
}

/** Rewrites state.json as an older resnet-train wrote it: version 1, no checksums. */
function makeVersion1(dir: string): void {
  const s = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
  delete s.files;
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ ...s, version: 1 }));
}

describe('saveCheckpoint', () => {
  it('fsyncs every file, the new folder and the run folder', async () => {
    const out = fresh();
    await saveTinyCheckpoint(out, 1);
    const paths = new Map<number, string>();
    const open = fs.openSync;
    vi.spyOn(fs, 'openSync').mockImplementation((p, ...rest) => {
      const fd = open(p, ...(rest as [fs.OpenMode]));
      paths.set(fd, String(p));
      return fd;
    });
    const synced: string[] = [];
    const fsync = fs.fsyncSync;
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      synced.push(paths.get(fd as number)!);
      fsync(fd);
    });
    await saveTinyCheckpoint(out, 2);
    const tmp = join(out, 'checkpoint.tmp');
    expect(synced).toEqual([
      ...['model.json', 'weights.bin', 'optimizer.json', 'optimizer.bin', 'state.json'].map((f) => join(tmp, f)),
      tmp,
      out, // after checkpoint → checkpoint.old
      out, // after checkpoint.tmp → checkpoint
    ]);
  });

  it('records the size and SHA-256 of every file in state.json', async () => {
    const out = fresh();
    await saveTinyCheckpoint(out, 1);
    const dir = join(out, 'checkpoint');
    const s = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(s.version).toBe(2);
    for (const f of ['model.json', 'weights.bin', 'optimizer.json', 'optimizer.bin']) {
      const bytes = readFileSync(join(dir, f));
      expect(s.files[f]).toEqual({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  });

  it('keeps the previous checkpoint as checkpoint.old', async () => {
    const out = fresh();
    await saveTinyCheckpoint(out, 1);
    await saveTinyCheckpoint(out, 2);
    await saveTinyCheckpoint(out, 3);
    expect(state(join(out, 'checkpoint')).epoch).toBe(3);
    expect(state(join(out, 'checkpoint.old')).epoch).toBe(2);
    expect(existsSync(join(out, 'checkpoint.tmp'))).toBe(false);
  });

  it('killed between its renames: resume takes checkpoint.old, and the next save keeps it until the new one is in place', async () => {
    const out = fresh();
    await saveTinyCheckpoint(out, 1);
    await saveTinyCheckpoint(out, 2);
    // The state a kill leaves after `checkpoint` → `checkpoint.old` and before `checkpoint.tmp` → `checkpoint`.
    rmSync(join(out, 'checkpoint.old'), { recursive: true });
    renameSync(join(out, 'checkpoint'), join(out, 'checkpoint.old'));
    fs.mkdirSync(join(out, 'checkpoint.tmp'));
    writeFileSync(join(out, 'checkpoint.tmp', 'model.json'), '{"half');
    expect(await load(out)).toMatchObject({ dir: join(out, 'checkpoint.old'), epoch: 2 });
    await saveTinyCheckpoint(out, 3);
    expect(state(join(out, 'checkpoint')).epoch).toBe(3);
    expect(state(join(out, 'checkpoint.old')).epoch).toBe(2);
  });

  it('refuses to save non-finite weights and leaves the last checkpoint as it was', async () => {
    const out = fresh();
    await saveTinyCheckpoint(out, 1);
    const model = tinyModel();
    const fc = model.getLayer('fc');
    const [w, b] = fc.getWeights();
    const nan = tf.fill(w!.shape, NaN);
    fc.setWeights([nan, b!]);
    await expect(saveCheckpoint(out, model, null, tinyState(2))).rejects.toThrow(/checkpoint\.tmp\/weights\.bin: 80 of \d+ values are NaN or ±Infinity \(the first in fc\/kernel\)/);
    tf.dispose([nan]);
    model.dispose();
    expect(await load(out)).toMatchObject({ dir: join(out, 'checkpoint'), epoch: 1, warnings: [] });
  });
});

describe('loadCheckpoint', () => {
  it('falls back to checkpoint.old when checkpoint has an empty weights.bin, and says which', async () => {
    const out = fresh();
    await saveTinyCheckpoint(out, 1);
    await saveTinyCheckpoint(out, 2);
    writeFileSync(join(out, 'checkpoint', 'weights.bin'), '');
    const r = await load(out);
    expect(r).toMatchObject({ dir: join(out, 'checkpoint.old'), epoch: 1 });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^skipped .*\/checkpoint: .*\/checkpoint\/weights\.bin: 0 bytes, but state\.json records \d+; using .*\/checkpoint\.old \(epoch 1, step 3\)$/);
    // The damaged folder is replaced by the next save; the good one stays until then.
    await saveTinyCheckpoint(out, 2);
    expect(state(join(out, 'checkpoint')).epoch).toBe(2);
    expect(state(join(out, 'checkpoint.old')).epoch).toBe(1);
  });

  const damaged: Array<[string, (dir: string) => void, RegExp]> = [
    ['an empty state.json', (d) => writeFileSync(join(d, 'state.json'), ''), /checkpoint\/state\.json: empty file \(0 bytes\)/],
    ['state.json that is not JSON', (d) => writeFileSync(join(d, 'state.json'), '{"epoch": 1,'), /checkpoint\/state\.json: not valid JSON/],
    ['a 5-byte optimizer.bin', (d) => writeFileSync(join(d, 'optimizer.bin'), 'abcde'), /checkpoint\/optimizer\.bin: 5 bytes, but state\.json records \d+/],
    ['a flipped byte in model.json', (d) => {
      const b = readFileSync(join(d, 'model.json'));
      b[100] = b[100]! ^ 1;
      writeFileSync(join(d, 'model.json'), b);
    }, /checkpoint\/model\.json: contents differ from the SHA-256 state\.json records \(the file is damaged\)/],
    ['a missing optimizer.json', (d) => rmSync(join(d, 'optimizer.json')), /checkpoint\/optimizer\.json: missing/],
    ['version 1 (no checksums) with a 5-byte optimizer.bin', (d) => {
      makeVersion1(d);
      writeFileSync(join(d, 'optimizer.bin'), 'abcde');
    }, /checkpoint\/optimizer\.bin: 5 bytes, but .*optimizer\.json describes \d+ float32 values/],
    ['version 1 with a NaN weight', (d) => {
      makeVersion1(d);
      const b = readFileSync(join(d, 'weights.bin'));
      b.writeFloatLE(NaN, 8);
      writeFileSync(join(d, 'weights.bin'), b);
    }, /checkpoint\/weights\.bin: 1 of \d+ values are NaN or ±Infinity \(the first in conv1\/kernel\)/],
    ['version 1 with a weight the model does not have (tfjs itself would leak the decoded weights)', (d) => {
      makeVersion1(d);
      const m = JSON.parse(readFileSync(join(d, 'model.json'), 'utf8'));
      m.weightsManifest[0].weights[0].name = 'conv9/kernel';
      writeFileSync(join(d, 'model.json'), JSON.stringify(m));
    }, /checkpoint\/model\.json: the model could not be built from it \(.*conv9\/kernel/],
    ['version 1 with a layer that reads a missing layer', (d) => {
      makeVersion1(d);
      const m = JSON.parse(readFileSync(join(d, 'model.json'), 'utf8'));
      m.modelTopology.config.layers[6].inbound_nodes[0][0][0] = 'nope';
      writeFileSync(join(d, 'model.json'), JSON.stringify(m));
    }, /checkpoint\/model\.json: layer '\S+' reads node 0 of 'nope', which the topology never makes/],
    ['version 1 with momentum buffers for another model', (d) => {
      makeVersion1(d);
      const o = JSON.parse(readFileSync(join(d, 'optimizer.json'), 'utf8'));
      o.shapes = [[o.shapes.reduce((sum: number, sh: number[]) => sum + sh.reduce((x, y) => x * y, 1), 0)]];
      writeFileSync(join(d, 'optimizer.json'), JSON.stringify(o));
    }, /checkpoint\/optimizer\.json: 1 momentum buffers, but the model has \d+ trainable weights/],
  ];
  for (const [what, damage, message] of damaged) {
    it(`names the file and the fault: ${what}`, async () => {
      const out = fresh();
      await saveTinyCheckpoint(out, 1);
      damage(join(out, 'checkpoint'));
      const tensors = tf.memory().numTensors;
      await expect(load(out)).rejects.toThrow(message);
      await expect(load(out)).rejects.toThrow(/^no valid checkpoint in '/);
      expect(tf.memory().numTensors).toBe(tensors);
    });
  }

  it('a model name that is a path is refused; export writes nothing outside the run folder', async () => {
    const out = join(fresh(), 'a', 'b');
    await saveTinyCheckpoint(out, 1);
    const p = join(out, 'checkpoint', 'state.json');
    writeFileSync(p, readFileSync(p, 'utf8').replace('"name": "resnet8"', '"name": "../../x"'));
    await expect(runExport(out, 'torchvision', undefined)).rejects.toThrow(/checkpoint\/state\.json: model\.name: unknown model '\.\.\/\.\.\/x'; known: /);
    expect(existsSync(join(out, '..', '..', 'x.safetensors'))).toBe(false);
  });
});
