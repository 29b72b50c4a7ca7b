/**
 * The static type of `createModel` is what it returns, for every kind of name
 * and options (issue: `createModel(tag)` with `tag: string` type-checked as a
 * LayersModel and returned a Promise). These are type assertions: tsc checks
 * them (`pnpm typecheck`), and the runtime half checks the same cases' values.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Classifier } from '../classify/classifier.js';
import { loadClassifier } from '../classify/classifier.js';
import { createModel, type CreateModelOptions, type CreateModelResult } from './create.js';
import type { FeatureModel } from './features.js';

describe('createModel: the static type is what the call returns', () => {
  it('pins the types (checked by tsc; never called here)', () => {
    const typesOnly = (name: string, opts: CreateModelOptions, tag: `${string}.${string}`) => {
      // A literal name without a dot and no weights: the model itself.
      expectTypeOf(createModel('resnet50')).toEqualTypeOf<LayersModel>();
      expectTypeOf(createModel('resnet20', { numClasses: 100 })).toEqualTypeOf<LayersModel>();
      expectTypeOf(createModel('resnet50', { features: true })).toEqualTypeOf<FeatureModel>();
      expectTypeOf(createModel('resnet50', { pretrained: false })).toEqualTypeOf<LayersModel>();
      // Weights by tag, by `weights`, by `pretrained: true`: a promise.
      expectTypeOf(createModel('resnet50.tv2_in1k')).toEqualTypeOf<Promise<LayersModel>>();
      expectTypeOf(createModel(tag)).toEqualTypeOf<Promise<LayersModel>>();
      expectTypeOf(createModel('resnet50', { weights: 'resnet50.tv2_in1k' })).toEqualTypeOf<Promise<LayersModel>>();
      expectTypeOf(createModel('resnet50', { pretrained: true })).toEqualTypeOf<Promise<LayersModel>>();
      expectTypeOf(createModel('resnet50', { pretrained: true, features: true })).toEqualTypeOf<Promise<FeatureModel>>();
      expectTypeOf(createModel('resnet50.tv2_in1k', { weights: new Uint8Array(8) })).toEqualTypeOf<Promise<LayersModel>>();
      // Where the types cannot tell (a name typed string, options typed CreateModelOptions): either, and `await` gives the model.
      expectTypeOf(createModel(name)).toEqualTypeOf<LayersModel | Promise<LayersModel>>();
      expectTypeOf(createModel('resnet50', opts)).toEqualTypeOf<LayersModel | Promise<LayersModel>>();
      expectTypeOf(createModel(name, { numClasses: 10 })).toEqualTypeOf<LayersModel | Promise<LayersModel>>();
      expectTypeOf<Awaited<ReturnType<typeof createModel<string, {}>>>>().toEqualTypeOf<LayersModel>();
      // A name that may or may not be a tag (a union): either.
      expectTypeOf(createModel(Math.random() > 0.5 ? 'resnet50' : 'resnet50.tv2_in1k')).toEqualTypeOf<LayersModel | Promise<LayersModel>>();
      expectTypeOf<CreateModelResult<'resnet50', { weights?: string }>>().toEqualTypeOf<LayersModel | Promise<LayersModel>>();
      // Errors talk about the option given: an unknown key, a bad value.
      // @ts-expect-error numClasse is not an option (did you mean numClasses?)
      createModel('resnet50', { numClasse: 3 });
      // @ts-expect-error pooling takes 'avg' | 'max' | null
      createModel('resnet50', { pooling: 'mean' });
      // loadClassifier is always async.
      expectTypeOf(loadClassifier(name)).toEqualTypeOf<Promise<Classifier>>();
    };
    expect(typeof typesOnly).toBe('function');
  });

  it('and the values agree: a plain name gives a model, a tag a promise (rejected here: no such weights)', async () => {
    const name: string = 'resnet8';
    const m = createModel(name, { widths: [2, 2, 2] });
    expect(m).not.toBeInstanceOf(Promise);
    (await m).dispose();
    const p = createModel('resnet8.none' as string);
    expect(p).toBeInstanceOf(Promise);
    await expect(p).rejects.toThrow(/unknown pretrained weights 'resnet8\.none'/);
  });
});
