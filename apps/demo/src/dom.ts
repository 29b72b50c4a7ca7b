// Tiny DOM helpers; a missing element is a page bug, so say which one.

/** The element matching `sel`; throws naming the selector when the page lacks it. */
export function $<T extends HTMLElement = HTMLElement>(sel: string, root: ParentNode = document): T {
  const el = root.querySelector<T>(sel);
  if (!el) throw new Error(`page element '${sel}' is missing`);
  return el;
}

/** Creates an element with text and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attrs: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** Thousands separators, always en-US so tests and readers see the same digits. */
export const fmtInt = (n: number): string => n.toLocaleString('en-US');

/** Lets the browser paint between heavy steps. */
export const nextFrame = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * Copies each column's header text into its cells' `data-label`, so the phone
 * layout (style.css) can show a table as one card per row, label beside value.
 */
export function labelCells(table: HTMLTableElement): void {
  const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
  for (const tr of table.querySelectorAll('tbody tr')) {
    [...tr.children].forEach((td, i) => td.setAttribute('data-label', heads[i] ?? ''));
  }
}
