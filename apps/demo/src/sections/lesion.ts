// The lesion study of section 4; wired once the trained MNIST models ship.
import { $ } from '../dom';

/** Loads the shipped MNIST ResNet and its plain twin and deletes one block at a time. */
export async function initLesion(): Promise<void> {
  $('#lesion-caption').textContent = 'The trained models are not shipped yet.';
}
