/** Gradient registrations the training loop needs (see each file for why). */
import { registerFastBatchNormGradient } from './bn-gradient.js';
import { registerStridedSliceGradient } from './strided-slice-gradient.js';

/** Installs the StridedSlice gradient and the cheaper BatchNorm gradient (idempotent). */
export function registerTrainingGradients(): void {
  registerStridedSliceGradient();
  registerFastBatchNormGradient();
}
