/**
 * Names mapped: timm state-dict keys → torchvision state-dict keys.
 *
 * timm's ResNets and DenseNets keep torchvision's module paths (`conv1`,
 * `layer1.0.bn2`, `features.denseblock1.denselayer1.norm1`, `fc`); only a
 * classifier behind timm's pooling head is `head.fc`. torchvision's own
 * weights are marked `format: 'timm'` in the pretrained table
 * (`pretrained/table.ts`) because they download as the safetensors copies
 * timm hosts on the Hugging Face Hub (`timm/<model>.tv_in1k`), whose keys go
 * through this mapping.
 */

/** The torchvision key for a timm key (`head.fc.weight` → `fc.weight`; every other key unchanged). */
export function timmToTorchvisionKey(key: string): string {
  return key.replace(/^head\.fc\./, 'fc.');
}
