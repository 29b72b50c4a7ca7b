// Page bootstrap: choose a backend (and say which), then bring each section to
// life. Sections are independent: one that fails shows its error in place and
// the others still run. Each section's <section data-state> goes pending →
// ready | error, which is what the e2e test waits on.
import './style.css';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, parseBackendQuery, type BackendChoice } from './backend';
import { initDegradation } from './sections/degradation';
import { initBlocks } from './sections/blocks';
import { initFamily } from './sections/family';
import { initEnsembles } from './sections/ensembles';
import { initEverywhere } from './sections/everywhere';
import { initTry } from './sections/try';
import { $ } from './dom';

function showBackend(choice: BackendChoice): void {
  const status = $('#backend-status');
  const fellBack = choice.attempts.some((a) => !a.ok && a.reason !== 'disabled by ?disable=');
  status.dataset.state = fellBack ? 'fallback' : 'ready';
  status.dataset.backend = choice.name;
  status.textContent = `Running on the TensorFlow.js ${choice.name} backend (${choice.device})${
    fellBack ? ' — fell back; see why below' : ''
  }.`;
  const list = $('#backend-attempts');
  list.replaceChildren(
    ...choice.attempts.map((a) => {
      const li = document.createElement('li');
      li.dataset.backend = a.name;
      li.dataset.ok = String(a.ok);
      li.textContent = `${a.name}: ${a.ok ? 'used' : 'skipped'} — ${a.reason}`;
      return li;
    }),
  );
  if (fellBack) (list.parentElement as HTMLDetailsElement).open = true;
}

async function runSection(id: string, init: () => Promise<void>): Promise<void> {
  const section = $(`#${id}`);
  const t0 = performance.now();
  try {
    await init();
    section.dataset.state = 'ready';
    section.dataset.ms = String(Math.round(performance.now() - t0));
  } catch (e) {
    section.dataset.state = 'error';
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = `This section failed: ${e instanceof Error ? e.message : String(e)}`;
    section.append(p);
    console.error(`section ${id} failed`, e);
  }
}

async function main(): Promise<void> {
  tf.enableProdMode();
  const status = $('#backend-status');
  let choice: BackendChoice;
  try {
    const { start, disabled } = parseBackendQuery(location.search);
    choice = await chooseBackend(start, disabled);
  } catch (e) {
    status.dataset.state = 'error';
    status.textContent = e instanceof Error ? e.message : String(e);
    throw e;
  }
  showBackend(choice);
  // Cheap, visible sections first; the ResNet family (five ImageNet models built
  // one after another) last, so the page is readable while it works.
  await runSection('blocks', initBlocks);
  await runSection('ensembles', initEnsembles);
  await runSection('try', initTry);
  await runSection('degradation', initDegradation);
  await runSection('everywhere', initEverywhere);
  await runSection('family', initFamily);
  document.body.dataset.ready = 'true';
  document.body.dataset.tensors = String(tf.memory().numTensors);
}

void main();
