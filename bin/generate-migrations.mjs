#!/usr/bin/env node
// Generates the SQL migration for one service's (or the platform's) tables.ts into its own folder:
//   npm run db:generate -- <service|platform> [name]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const [target, name = 'change'] = process.argv.slice(2);
if (!target) {
  console.error('usage: npm run db:generate -- <service|platform> [migration-name]');
  process.exit(2);
}
const dir = target === 'platform' ? 'src/platform' : `src/services/${target}`;
if (!existsSync(`${dir}/tables.ts`)) {
  console.error(`no ${dir}/tables.ts`);
  process.exit(2);
}
execFileSync(
  'npx',
  ['drizzle-kit', 'generate', '--dialect=postgresql', `--schema=./${dir}/tables.ts`, `--out=./${dir}/migrations`, `--name=${name}`],
  { stdio: 'inherit' },
);
