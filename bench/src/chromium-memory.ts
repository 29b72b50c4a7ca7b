// Peak memory of a Chromium tab, read from Linux's /proc: Playwright names no
// renderer process, so the bench finds the browser by its (unique) profile folder
// on the command line and takes the renderer processes below it.
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

/** VmHWM (peak resident set size) of `pid` in MB, or null when it cannot be read. */
function peakRssMb(pid: number): number | null {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb == null ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

/**
 * The largest peak RSS (MB) among the renderer processes of the Chromium that
 * runs with `--user-data-dir=<profile>`: the tab (with its workers, which live in
 * its renderer). Null where /proc cannot tell (not Linux, or no such browser).
 */
export function rendererPeakRssMb(profile: string): number | null {
  const all = processes();
  const root = all.find((p) => p.cmdline.includes(`--user-data-dir=${profile}`) && !p.cmdline.includes('--type='));
  if (root == null) return null;
  const below = new Set([root.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) if (!below.has(p.pid) && below.has(p.ppid)) { below.add(p.pid); grew = true; }
  }
  const peaks = all.filter((p) => below.has(p.pid) && p.cmdline.includes('--type=renderer')).map((p) => peakRssMb(p.pid)).filter((v): v is number => v != null);
  return peaks.length ? Math.max(...peaks) : null;
}
