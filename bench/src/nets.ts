/** A net the training benches build (createModel), and PyTorch's side (python/train.py) too. */
export interface TrainNet {
  /** Input height and width. */
  size: number;
  classes: number;
  /** Default training batch. */
  batch: number;
}

/** The nets by name: the CIFAR ResNet-20, and torchvision's ImageNet ResNets. */
export const TRAIN_NETS: Readonly<Record<string, TrainNet>> = {
  resnet20: { size: 32, classes: 10, batch: 128 },
  resnet18: { size: 224, classes: 1000, batch: 8 },
  resnet34: { size: 224, classes: 1000, batch: 8 },
  resnet50: { size: 224, classes: 1000, batch: 8 },
};

/** The net called `name`; throws naming the valid ones. */
export function trainNet(name: string): TrainNet {
  const net = TRAIN_NETS[name];
  if (net == null) throw new Error(`--model must be one of ${Object.keys(TRAIN_NETS).join(', ')}; got '${name}'`);
  return net;
}
