import { describe, expect, it } from 'vitest';
import * as entrypoints from './entrypoints.js';
import { buildModel, listModels, modelFamily, registerModel } from './registry.js';

describe('model registry', () => {
  it('holds every entrypoint under its export name, with its family', () => {
    const exported = Object.entries(entrypoints);
    for (const [name, model] of exported) {
      expect(model.modelName, name).toBe(name);
      expect(modelFamily(name)).toBe(model.family);
    }
    expect(listModels()).toEqual(exported.map(([name]) => name).sort());
    expect(listModels('cifar')).toContain('resnet8');
    expect(listModels('densenet')).toContain('densenetBC100');
  });

  it('builds what the entrypoint builds, named after the registry name', () => {
    const m = buildModel('plain8', { widths: [2, 2, 2], inputShape: [8, 8, 1] });
    const direct = entrypoints.plain8({ widths: [2, 2, 2], inputShape: [8, 8, 1] });
    expect(m.name).toBe('plain8');
    expect(direct.name).toBe('plain8');
    expect(direct.countParams()).toBe(m.countParams());
    m.dispose();
    direct.dispose();
  });

  it('registers user builders once, and refuses clashes and bad names with what is valid', () => {
    registerModel('my_tiny_net', (o) => entrypoints.resnet8({ ...o, widths: [2, 2, 2] }));
    expect(modelFamily('my_tiny_net')).toBe('custom');
    expect(listModels('custom')).toEqual(['my_tiny_net']);
    expect(() => registerModel('resnet50', entrypoints.resnet8)).toThrow("'resnet50' is already registered; pass overwrite = true to replace it");
    expect(() => registerModel('bad name', entrypoints.resnet8)).toThrow(/name must match \[A-Za-z0-9_.-\]\+, got "bad name"/);
    expect(() => modelFamily('resnet51')).toThrow(/unknown model 'resnet51'; known: .*resnet50, resnet56/);
  });
});
