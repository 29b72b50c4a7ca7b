// A small test harness for the e2e script: named checks that record pass/fail
// and keep going, so one run shows every problem; prints "N passed, N failed".

const results = [];

/** Runs one named check; a thrown error (or failed assertion) marks it failed. */
export async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    results.push({ name, ok: false, error: e });
    console.log(`FAIL ${name}\n     ${String(e?.stack ?? e).split('\n').slice(0, 4).join('\n     ')}`);
  }
}

/** Throws with `what` when `cond` is false. */
export function assert(cond, what) {
  if (!cond) throw new Error(what);
}

/** Exact equality of two JSON-able values, with both shown on failure. */
export function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`);
}

/** |actual − expected| ≤ tol·max(1, |expected|), element-wise for arrays. */
export function assertClose(actual, expected, tol, what) {
  const as = Array.isArray(actual) ? actual : [actual];
  const es = Array.isArray(expected) ? expected : [expected];
  if (as.length !== es.length) throw new Error(`${what}: length ${as.length}, expected ${es.length}`);
  as.forEach((a, i) => {
    const e = es[i];
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
      throw new Error(`${what}[${i}]: got ${a}, expected ${e} (tolerance ${tol} relative)`);
    }
  });
}

/** Prints the summary line; returns the number of failures. */
export function summary() {
  const failed = results.filter((r) => !r.ok);
  console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
  for (const f of failed) console.log(`  failed: ${f.name}`);
  return failed.length;
}
