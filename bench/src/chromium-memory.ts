// Peak memory of a Chromium tab, read from Linux's /proc: Playwright names no
// renderer process, so the bench finds the browser by its (unique) profile folder
// on the command line and watches the renderer processes below it.
import { readdirSync, readFileSync } from 'node:fs';

interface Proc { pid: number; ppid: number; cmdline: string }

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(name), ppid, cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** VmRSS and VmHWM (resident set size now, and its peak as the kernel keeps it) of `pid` in MB, or null when it cannot be read. */
function rssMb(pid: number): { now: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
    const [now, peak] = [field('VmRSS'), field('VmHWM')];
    return Number.isNaN(now) || Number.isNaN(peak) ? null : { now, peak };
  } catch {
    return null;
  }
}

/** The renderer processes (the tabs, with their workers) of the Chromium that runs with `--user-data-dir=<profile>`. */
function rendererPids(profile: string): number[] {
  const all = processes();
  const root = all.find((p) => p.cmdline.includes(`--user-data-dir=${profile}`) && !p.cmdline.includes('--type='));
  if (root == null) return [];
  const below = new Set([root.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) if (!below.has(p.pid) && below.has(p.ppid)) { below.add(p.pid); grew = true; }
  }
  return all.filter((p) => below.has(p.pid) && p.cmdline.includes('--type=renderer')).map((p) => p.pid);
}

/** How often {@link watchRendererPeak} looks for new renderer processes (a /proc scan), ms. */
const RESCAN_MS = 500;

/**
 * Watches the peak RSS (MB) of the renderer processes of the Chromium that runs
 * with `--user-data-dir=<profile>` until `stop()`, which returns the largest
 * of any one of them (null where /proc cannot tell: not Linux, or no such
 * browser). The kernel's VmHWM alone is not enough: Chromium resets its
 * renderers' peak as it runs (seen falling from 551 to 463 MB within one page
 * load), so VmRSS is also sampled every `everyMs` (a spike shorter than that
 * can be missed where the reset came after it).
 */
export function watchRendererPeak(profile: string, everyMs = 20): { stop(): number | null } {
  let pids: number[] = [];
  let scanned = -Infinity;
  let peak: number | null = null;
  const sample = () => {
    if (performance.now() - scanned > RESCAN_MS) [pids, scanned] = [rendererPids(profile), performance.now()];
    for (const pid of pids) {
      const rss = rssMb(pid);
      if (rss != null) peak = Math.max(peak ?? 0, rss.now, rss.peak);
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      scanned = -Infinity;
      sample();
      return peak;
    },
  };
}
