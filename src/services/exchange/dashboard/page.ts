/** The live dashboard at /exchange/ (polls /exchange/dashboard.json) and the CLI's offline report. */
import { PAGE_STYLE, RENDER_SCRIPT } from './render.js';

const LIVE_SCRIPT = `
(function () {
  var keyInput = document.getElementById('operator-key');
  keyInput.value = sessionStorage.getItem('exchange-operator-key') || '';
  keyInput.addEventListener('change', function () { sessionStorage.setItem('exchange-operator-key', keyInput.value); });
  var status = document.getElementById('status');
  function onReset(id, name) {
    var key = keyInput.value || window.prompt('Operator key (EXCHANGE_ADMIN_KEY) to burn ' + name + ' to the ground:') || '';
    if (!key) return;
    if (!window.confirm('Burn ' + name + ' to the ground? Its shop is reset and its books start again at 100 gold.')) return;
    fetch('/exchange/shops/' + id + '/reset', { method: 'POST', headers: { authorization: 'Bearer ' + key } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        status.textContent = res.ok ? name + ' was burnt to the ground.' : 'Reset failed: ' + res.body.message;
        if (res.ok) { keyInput.value = key; sessionStorage.setItem('exchange-operator-key', key); refresh(); }
      })
      .catch(function (err) { status.textContent = 'Reset failed: ' + err; });
  }
  function refresh() {
    return fetch('/exchange/dashboard.json').then(function (r) { return r.json(); }).then(function (data) {
      var c = data.clock;
      document.getElementById('clock').textContent = 'tick ' + c.tick + ' · ' + c.day + ' ' + c.hour + ':00 · ' +
        (c.running ? 'a tick every ' + c.tick_seconds + ' s' : 'clock stopped') + ' · seed ' + c.seed + ' · cadence ' + c.cadence;
      document.getElementById('empty').hidden = data.shops.length > 0;
      window.renderShops(data.shops, { resettable: true, onReset: onReset });
      document.body.dataset.ready = 'true';
    }).catch(function (err) { status.textContent = 'Update failed: ' + err; });
  }
  refresh();
  setInterval(refresh, 2000);
})();
`;

/** The dashboard's inline scripts, exactly as embedded: its Content-Security-Policy allows them by hash. */
export const DASHBOARD_INLINE_SCRIPTS: readonly string[] = [RENDER_SCRIPT, LIVE_SCRIPT];

export function dashboardHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>Potion Exchange</title><style>${PAGE_STYLE}</style>
<script src="/exchange/assets/chart.umd.js"></script></head>
<body><header><h1>Potion Exchange</h1><span id="clock">…</span>
<label>Operator key <input id="operator-key" type="password" autocomplete="off" placeholder="EXCHANGE_ADMIN_KEY"></label>
<span id="status">Burning a shop needs the operator key (EXCHANGE_ADMIN_KEY, printed at start when generated).</span></header>
<p id="empty" hidden style="padding:16px">No shops registered yet: POST /exchange/shops (see <a href="/docs">/docs</a>).</p>
<main id="shops"></main>
<script>${RENDER_SCRIPT}</script><script>${LIVE_SCRIPT}</script></body></html>`;
}

/** A self-contained report: Chart.js and the data inline, so the file works offline. */
export function reportHtml(input: { title: string; subtitle: string; chartJs: string; shops: unknown[] }): string {
  const data = JSON.stringify(input.shops).replace(/</g, '\\u003c');
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)}</title><style>${PAGE_STYLE}</style>
<script>${input.chartJs.replace(/<\/script/gi, '<\\/script')}</script></head>
<body><header><h1>${esc(input.title)}</h1><span>${esc(input.subtitle)}</span></header><main id="shops"></main>
<script>${RENDER_SCRIPT}</script><script>window.renderShops(${data}, { resettable: false });</script></body></html>`;
}
