// Page bootstrap: choose a backend (and say which), then bring each section to
// life. Sections are independent: one that fails shows its error in place and
// the others still run. Each section's <section data-state> goes pending →
// ready | error, which is what the e2e test waits on.
//
// Everything heavy (tfjs, vega, the packages) is loaded with dynamic import()
// after the static page is on screen, so the text is readable at once and the
// figures fill in as they are computed.
import './style.css';
import type { BackendChoice } from './backend.js';
import { $ } from './dom.js';

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
    section.setAttribute('aria-busy', 'false');
    section.dataset.ms = String(Math.round(performance.now() - t0));
  } catch (e) {
    section.dataset.state = 'error';
    section.setAttribute('aria-busy', 'false');
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = `This section failed: ${e instanceof Error ? e.message : String(e)}`;
    section.append(p);
    console.error(`section ${id} failed`, e);
  }
}

async function main(): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const { chooseBackend, parseBackendQuery } = await import('./backend.js');
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
  // Sections run concurrently: the heavy figures queue in the compute workers,
  // the main thread stays free for the reader (and for section 6's model).
  await Promise.all([
    runSection('family', async () => (await import('./sections/family.js')).initFamily()),
    runSection('blocks', async () => (await import('./sections/blocks.js')).initBlocks()),
    runSection('try', async () => (await import('./sections/try.js')).initTry()),
    runSection('ensembles', async () => (await import('./sections/ensembles.js')).initEnsembles()),
    runSection('degradation', async () => (await import('./sections/degradation.js')).initDegradation()),
    runSection('everywhere', async () => (await import('./sections/everywhere.js')).initEverywhere()),
    runSection('classify', async () => (await import('./sections/classify.js')).initClassify()),
  ]);
  document.body.dataset.ready = 'true';
  document.body.dataset.tensors = String(tf.memory().numTensors);
}

void main();
