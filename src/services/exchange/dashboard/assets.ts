import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let chartJsSource: string | undefined;
/** Chart.js read from node_modules: served by the exchange itself, or inlined in reports (no CDN). */
export function chartJs(): string {
  // The package's exports map hides dist/chart.umd.js, so find it next to the CommonJS entry.
  const entry = createRequire(import.meta.url).resolve('chart.js');
  chartJsSource ??= readFileSync(join(dirname(entry), 'chart.umd.js'), 'utf8');
  return chartJsSource;
}
