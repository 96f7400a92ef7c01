#!/usr/bin/env node
// Adds lock entries for platform-specific optional dependencies that `npm install` left out.
//
// The registry this project is built against does not carry every platform build of biome, rollup
// and msgpackr-extract (android, darwin, win32, musl…). `npm install` skips an optional package it
// cannot fetch and leaves it out of package-lock.json; `npm ci` then refuses the lock as "out of
// sync". An entry marked optional is enough for `npm ci`: it tries the package, cannot fetch it, and
// goes on — exactly what it does for a platform it is not on. Run after every `npm install` that
// changes the lock: `npm run lock:complete`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
const added = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    packages[hoisted] = { version, optional: true };
    added.push(`${name}@${version}`);
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.length} optional entries` : 'lock already complete');
