/** The page's address: the hash names the page (`#/table/users/items`), its query the rest. */

/** `#/table/users/items?x=1` → parts ['table', 'users', 'items'] and the query (x=1). */
export function parseHash(hash: string): { parts: string[]; query: URLSearchParams } {
  const h = hash.replace(/^#\/?/, '');
  const q = h.indexOf('?');
  const path = q < 0 ? h : h.slice(0, q);
  return {
    parts: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(q < 0 ? '' : h.slice(q + 1)),
  };
}
