// The benchmark's items: N lines of NDJSON, about 200 bytes each, the same on every run (a seeded
// generator). A string partition key `pk`; strings, an integer, a decimal, a boolean, a list and a
// map, as a user table has them.
import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';

const CITIES = ['Paris', 'Lisboa', 'Berlin', 'Osaka', 'Lima', 'Accra', 'Oslo', 'Quito'];
const WORDS = ['alpha', 'bravo', 'delta', 'kilo', 'lima', 'oscar', 'romeo', 'tango', 'zulu', 'echo'];

/** A small deterministic generator (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function item(i, r) {
  const pick = (list) => list[Math.floor(r() * list.length)];
  const id = String(i).padStart(8, '0');
  return {
    pk: `user#${id}`,
    name: `${pick(WORDS)} ${pick(WORDS)}`,
    email: `u${id}@example.com`,
    age: 18 + Math.floor(r() * 70),
    score: Math.round(r() * 100_000) / 100,
    active: r() < 0.5,
    city: pick(CITIES),
    tags: [pick(WORDS), pick(WORDS)],
    address: { street: `${1 + Math.floor(r() * 300)} ${pick(WORDS)} street`, zip: id.slice(3) },
    note: 'x'.repeat(Math.floor(r() * 8)),
  };
}

/** Write `n` items to `file` (kept when it already holds them: same seed, same bytes). */
export async function writeItems(file, n) {
  const marker = `${file}.count`;
  if (existsSync(file) && existsSync(marker) && statSync(marker).size > 0) {
    if (readFileSync(marker, 'utf8').trim() === String(n)) return statSync(file).size;
  }
  const r = rng(42);
  const out = createWriteStream(file);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += `${JSON.stringify(item(i, r))}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  writeFileSync(marker, String(n));
  return statSync(file).size;
}
