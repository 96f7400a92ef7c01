import type { ServiceModule } from './platform/service.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page at `/`: every service, one line each, with links to it and to the docs. */
export function landingPage(services: readonly ServiceModule[]): string {
  const rows = services
    .map(
      (s) => `<li><a href="${escapeHtml(s.prefix)}/"><strong>${escapeHtml(s.name)}</strong></a> — ${escapeHtml(s.description)}
        <small>(<a href="/docs#/${escapeHtml(s.name)}">API</a>)</small></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Guildhall</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
  h1 { margin-bottom: .25rem; } ul { padding-left: 1.2rem; } li { margin: .6rem 0; }
  a { color: #0b5cad; } small { color: #666; } footer { margin-top: 2rem; color: #666; font-size: .9rem; }
</style></head>
<body>
<h1>Guildhall</h1>
<p>Six backend services on one platform.</p>
<ul>
${rows || '<li>No services are enabled.</li>'}
</ul>
<footer><a href="/docs">OpenAPI docs</a> · <a href="/health">/health</a> · <a href="/ready">/ready</a></footer>
</body></html>`;
}
