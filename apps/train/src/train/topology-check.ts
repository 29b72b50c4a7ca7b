/**
 * Checks on a functional model's topology (model.json's `modelTopology`)
 * before tfjs rebuilds it. tfjs's deserializer loops until every layer call
 * ("node") has its inputs, so a call that names a missing layer, a node index
 * that never exists, a call without inputs, or a cycle makes it loop forever; and it allocates each
 * layer's weights from sizes in the config before comparing them with the
 * weight file. This replays its node order without tfjs, and bounds the sizes
 * by the number of weights the file holds.
 */
import { z } from 'zod';
import { describeIssues } from './recipe.js';

const index = z.number().int().nonnegative();
const layerSchema = z.object({
  name: z.string(),
  class_name: z.string(),
  config: z.object({ name: z.string() }).passthrough(),
  // A call without inputs makes no node in tfjs, so the layers it feeds would wait forever.
  inbound_nodes: z.array(z.array(z.tuple([z.string(), index, index]).rest(z.unknown())).min(1)),
});
const endpoint = z.tuple([z.string(), index, index]);
const topologySchema = z.object({
  class_name: z.literal('Model'),
  config: z.object({ layers: z.array(layerSchema), input_layers: z.array(endpoint), output_layers: z.array(endpoint) }).passthrough(),
});

// Config entries that size a layer's weights: each is at most the weights' total count.
const SIZE_KEYS = ['filters', 'units', 'kernel_size', 'depth_multiplier', 'input_dim', 'output_dim'];

/** Throws `<file>: <problem>` unless tfjs can rebuild `topology` in finitely many steps with weights of at most `weightCount` values. */
export function checkTopology(topology: unknown, file: string, weightCount: number): void {
  const fail = (m: string): never => {
    throw new Error(`${file}: ${m}`);
  };
  const r = topologySchema.safeParse(topology);
  if (!r.success) fail(describeIssues(r.error, 'modelTopology'));
  const { layers, input_layers: inputs, output_layers: outputs } = r.data!.config;

  const nodes = new Map<string, number>();
  for (const l of layers) {
    if (nodes.has(l.name)) fail(`two layers are named '${l.name}'`);
    if (l.config.name !== l.name) fail(`layer '${l.name}' has config.name '${l.config.name}'`);
    // An input layer makes its one node when it is created; every other node comes from a call.
    nodes.set(l.name, l.class_name === 'InputLayer' ? 1 : 0);
    for (const key of SIZE_KEYS) {
      const v = l.config[key];
      if (v === undefined || v === null) continue;
      const sizes = Array.isArray(v) ? v : [v];
      if (!sizes.every((s) => Number.isInteger(s) && (s as number) >= 1 && (s as number) <= weightCount)) {
        fail(`layer '${l.name}' has ${key} ${JSON.stringify(v)}; sizes must be integers from 1 to ${weightCount}, the number of weights in the file`);
      }
    }
  }
  // Replay tfjs's passes: in layer order, each waiting call runs once the nodes it reads exist.
  let waiting = layers.map((l) => ({ layer: l.name, calls: [...l.inbound_nodes] }));
  for (let left = waiting.reduce((n, w) => n + w.calls.length, 0); left > 0; ) {
    for (const w of waiting) {
      w.calls = w.calls.filter((call) => {
        const ready = call.every(([from, node]) => (nodes.get(from) ?? -1) > node);
        if (ready) nodes.set(w.layer, nodes.get(w.layer)! + 1);
        return !ready;
      });
    }
    const now = waiting.reduce((n, w) => n + w.calls.length, 0);
    if (now === left) {
      const stuck = waiting.find((w) => w.calls.length > 0)!;
      const [from, node] = stuck.calls[0]!.find(([f, n]) => (nodes.get(f) ?? -1) <= n)!;
      fail(`layer '${stuck.layer}' reads node ${node} of '${from}', which the topology never makes`);
    }
    left = now;
    waiting = waiting.filter((w) => w.calls.length > 0);
  }
  for (const [from, node] of [...inputs, ...outputs]) {
    if ((nodes.get(from) ?? -1) <= node) fail(`the model's inputs or outputs name node ${node} of '${from}', which does not exist`);
  }
}
