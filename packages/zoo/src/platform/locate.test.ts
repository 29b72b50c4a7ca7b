/**
 * Where a string given as a source points (`platform.locate`), the one rule
 * weights files and images share: in Node a path unless it is an http(s) or
 * file: URL; in browsers a URL, relative ones against the page.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { platform as browser } from './browser.js';
import { platform as node } from './node.js';

const g = globalThis as { location?: { href: string } };
afterEach(() => {
  delete g.location;
});

describe('platform.locate', () => {
  it('Node: http(s) URLs are fetched; file: URLs and every other string are paths', () => {
    expect(node.locate('https://example.com/w.safetensors')).toEqual({ url: 'https://example.com/w.safetensors' });
    expect(node.locate(new URL('http://127.0.0.1:8000/w.h5'))).toEqual({ url: 'http://127.0.0.1:8000/w.h5' });
    expect(node.locate('file:///tmp/w.safetensors')).toEqual({ path: '/tmp/w.safetensors' });
    expect(node.locate(new URL('file:///tmp/a%20b.safetensors'))).toEqual({ path: '/tmp/a b.safetensors' });
    expect(node.locate('weights/w.safetensors')).toEqual({ path: 'weights/w.safetensors' });
    expect(() => node.locate(new URL('ftp://example.com/w'))).toThrow("unsupported URL 'ftp://example.com/w': pass an http(s): or file: URL, a path or the bytes");
  });

  it('browsers: strings are URLs, relative ones resolved against the page; file: needs Node', () => {
    g.location = { href: 'http://127.0.0.1:8080/app/index.html' };
    expect(browser.locate('weights/w.safetensors')).toEqual({ url: 'http://127.0.0.1:8080/app/weights/w.safetensors' });
    expect(browser.locate('/models/w.safetensors')).toEqual({ url: 'http://127.0.0.1:8080/models/w.safetensors' });
    expect(browser.locate('https://example.com/w.safetensors')).toEqual({ url: 'https://example.com/w.safetensors' });
    expect(() => browser.locate('file:///tmp/w.safetensors')).toThrow(/the file URL 'file:\/\/\/tmp\/w\.safetensors' needs Node/);
    delete g.location;
    expect(() => browser.locate('weights/w.safetensors')).toThrow(/'weights\/w\.safetensors' is not a URL, and a relative one needs a page to resolve against/);
  });
});
