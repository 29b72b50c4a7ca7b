import { describe, expect, it } from 'vitest';
import { checkTopology } from './topology-check.js';

type Layer = { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: unknown[] };
const layer = (name: string, cls: string, inputs: Array<[string, number]> = [], config: Record<string, unknown> = {}): Layer => ({
  name, class_name: cls, config: { name, ...config }, inbound_nodes: inputs.length ? [inputs.map(([n, i]) => [n, i, 0, {}])] : [],
});
const topology = (layers: Layer[], outputs: Array<[string, number, number]> = [['fc', 0, 0]]) => ({
  class_name: 'Model', config: { name: 'm', layers, input_layers: [['input', 0, 0]], output_layers: outputs },
});
const net = (): Layer[] => [layer('input', 'InputLayer'), layer('conv', 'Conv2D', [['input', 0]], { filters: 4, kernel_size: [3, 3] }), layer('fc', 'Dense', [['conv', 0]], { units: 10 })];

describe('checkTopology', () => {
  it('accepts a chain, including a layer listed before the layer it reads', () => {
    expect(() => checkTopology(topology(net()), 'm.json', 1000)).not.toThrow();
    const [input, conv, fc] = net();
    expect(() => checkTopology(topology([input!, fc!, conv!]), 'm.json', 1000)).not.toThrow();
  });

  // tfjs-layers 4.22's fromConfig re-queues a call whose input never exists, forever (the fuzzer hung on the first).
  const loops: Array<[string, Layer[], RegExp]> = [
    ['a call that reads a missing layer', [...net().slice(0, 2), layer('fc', 'Dense', [['nope', 0]], { units: 10 })], /layer 'fc' reads node 0 of 'nope', which the topology never makes/],
    ['a node index that is never made', [...net().slice(0, 2), layer('fc', 'Dense', [['conv', 1]], { units: 10 })], /layer 'fc' reads node 1 of 'conv'/],
    ['a cycle', [layer('input', 'InputLayer'), layer('a', 'ReLU', [['b', 0]]), layer('b', 'ReLU', [['a', 0]]), layer('fc', 'Dense', [['b', 0]], { units: 1 })], /layer '(a|b)' reads node 0 of '(a|b)'/],
  ];
  for (const [what, layers, message] of loops) {
    it(`refuses ${what}`, () => expect(() => checkTopology(topology(layers), 'ck/model.json', 1000)).toThrow(new RegExp(`^ck/model\\.json: ${message.source}`)));
  }

  it('refuses duplicate names, a config name that differs, a call without inputs, malformed nodes, and missing outputs', () => {
    expect(() => checkTopology(topology([...net(), layer('fc', 'ReLU', [['fc', 0]])]), 'f', 1000)).toThrow("f: two layers are named 'fc'");
    const renamed = net();
    renamed[1]!.config.name = 'x';
    expect(() => checkTopology(topology(renamed), 'f', 1000)).toThrow("f: layer 'conv' has config.name 'x'");
    const empty = net();
    empty[1]!.inbound_nodes = [[]];
    expect(() => checkTopology(topology(empty), 'f', 1000)).toThrow(/^f: modelTopology\.config\.layers\.1\.inbound_nodes\.0: Too small/);
    const malformed = net();
    malformed[2]!.inbound_nodes = [[[null, 0, 0]]];
    expect(() => checkTopology(topology(malformed), 'f', 1000)).toThrow(/^f: modelTopology\.config\.layers\.2\.inbound_nodes\.0\.0\.0: Invalid input: expected string/);
    expect(() => checkTopology(topology(net(), [['fc', 1, 0]]), 'f', 1000)).toThrow("f: the model's inputs or outputs name node 1 of 'fc', which does not exist");
    expect(() => checkTopology({ class_name: 'Sequential' }, 'f', 1)).toThrow(/^f: modelTopology\.class_name/);
  });

  it('refuses layer sizes beyond the number of weights in the file (tfjs would allocate them first)', () => {
    const big = net();
    big[2]!.config.units = 5e7;
    expect(() => checkTopology(topology(big), 'f', 1000)).toThrow("f: layer 'fc' has units 50000000; sizes must be integers from 1 to 1000, the number of weights in the file");
    big[2]!.config.units = 2.5;
    expect(() => checkTopology(topology(big), 'f', 1000)).toThrow(/layer 'fc' has units 2\.5/);
  });
});
