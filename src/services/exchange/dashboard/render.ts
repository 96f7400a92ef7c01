/**
 * The browser-side renderer shared by the live dashboard and the CLI's HTML report: one card per shop
 * with gold/net worth over time, sales per class, stock, reputation (four factors) and latest errors.
 * Plain script text (no build step); `window.Chart` comes from the locally served or inlined Chart.js.
 */
export const RENDER_SCRIPT = `
(function () {
  var charts = {};
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]; }); }
  function pct(x) { return Math.round(x * 100) + '%'; }
  function card(shop, opts) {
    var el = document.getElementById('shop-' + shop.id);
    if (!el) {
      el = document.createElement('section');
      el.className = 'shop';
      el.id = 'shop-' + shop.id;
      el.innerHTML =
        '<header><h2></h2><span class="url"></span>' +
        (opts.resettable ? '<button class="burn" type="button">Burn shop to ground</button>' : '') + '</header>' +
        '<div class="figures"></div>' +
        '<div class="charts"><div class="chart"><canvas class="worth"></canvas></div><div class="chart"><canvas class="sales"></canvas></div></div>' +
        '<div class="tables"><div class="stock"></div><div class="reputation"></div></div>' +
        '<div class="errors"></div>';
      document.getElementById('shops').appendChild(el);
      if (opts.resettable) el.querySelector('.burn').addEventListener('click', function () { opts.onReset(shop.id, shop.name); });
      var classes = Object.keys(shop.sales_by_class);
      charts[shop.id] = {
        worth: new Chart(el.querySelector('canvas.worth'), {
          type: 'line',
          data: { labels: [], datasets: [
            { label: 'gold', data: [], borderColor: '#d4a017', backgroundColor: '#d4a017', pointRadius: 0, tension: 0.2 },
            { label: 'net worth', data: [], borderColor: '#2e7d32', backgroundColor: '#2e7d32', pointRadius: 0, tension: 0.2 }
          ] },
          options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { title: { display: true, text: 'Gold and net worth by tick' } }, scales: { x: { ticks: { maxTicksLimit: 8 } } } }
        }),
        sales: new Chart(el.querySelector('canvas.sales'), {
          type: 'bar',
          data: { labels: classes, datasets: [{ label: 'potions sold', data: [], backgroundColor: '#5c6bc0' }] },
          options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { title: { display: true, text: 'Potions sold per class' }, legend: { display: false } } }
        })
      };
    }
    el.querySelector('h2').textContent = shop.name;
    el.querySelector('.url').textContent = shop.url;
    el.querySelector('.figures').innerHTML =
      '<div><b class="gold">' + shop.gold + '</b><small>gold</small></div>' +
      '<div><b class="net-worth">' + shop.net_worth + '</b><small>net worth</small></div>' +
      '<div><b>' + shop.potions_sold + '</b><small>potions sold</small></div>' +
      '<div><b>' + shop.potion_capacity + ' / ' + shop.ml_capacity + '</b><small>capacity (potion / ml units)</small></div>' +
      '<div><b class="' + (shop.errors.total ? 'bad' : '') + '">' + shop.errors.total + '</b><small>errors</small></div>';
    var c = charts[shop.id];
    c.worth.data.labels = shop.series.map(function (p) { return p.tick; });
    c.worth.data.datasets[0].data = shop.series.map(function (p) { return p.gold; });
    c.worth.data.datasets[1].data = shop.series.map(function (p) { return p.net_worth; });
    c.worth.update('none');
    c.sales.data.labels = Object.keys(shop.sales_by_class);
    c.sales.data.datasets[0].data = Object.keys(shop.sales_by_class).map(function (k) { return shop.sales_by_class[k].potions; });
    c.sales.update('none');
    var ml = shop.stock.ml;
    el.querySelector('.stock').innerHTML = '<h3>Stock</h3><table><tr><th>liquid</th><td>' +
      ['red', 'green', 'blue', 'dark'].map(function (k) { return esc(k) + ' ' + ml[k] + ' ml'; }).join(', ') + '</td></tr>' +
      (shop.stock.potions.length ? shop.stock.potions.map(function (p) { return '<tr><th>[' + p.potion_type.join(',') + ']</th><td>' + p.quantity + ' potions</td></tr>'; }).join('') : '<tr><td colspan="2">no potions</td></tr>') + '</table>';
    el.querySelector('.reputation').innerHTML = '<h3>Reputation</h3><table><tr><th>class</th><th>value</th><th>quality</th><th>reliability</th><th>recognition</th><th>mean</th></tr>' +
      Object.keys(shop.reputation).map(function (k) { var r = shop.reputation[k];
        return '<tr><th>' + esc(k) + '</th><td>' + pct(r.value) + '</td><td>' + pct(r.quality) + '</td><td>' + pct(r.reliability) + '</td><td>' + pct(r.recognition) + '</td><td><b>' + pct(r.score) + '</b></td></tr>'; }).join('') + '</table>';
    var kinds = Object.keys(shop.errors.by_kind);
    el.querySelector('.errors').innerHTML = '<h3>Latest errors</h3>' +
      (kinds.length ? '<p class="kinds">' + kinds.map(function (k) { return esc(k) + ': ' + shop.errors.by_kind[k]; }).join(' · ') + '</p>' : '') +
      (shop.latest_errors.length ? '<ul>' + shop.latest_errors.map(function (e) { return '<li><code>tick ' + e.tick + ' ' + esc(e.job) + '</code> ' + esc(e.error) + '</li>'; }).join('') + '</ul>' : '<p>none</p>');
  }
  window.renderShops = function (shops, opts) {
    var seen = {};
    shops.forEach(function (s) { seen['shop-' + s.id] = true; card(s, opts); });
    Array.prototype.slice.call(document.querySelectorAll('section.shop')).forEach(function (el) {
      if (!seen[el.id]) { var id = el.id.slice(5); if (charts[id]) { charts[id].worth.destroy(); charts[id].sales.destroy(); delete charts[id]; } el.remove(); }
    });
  };
})();
`;

export const PAGE_STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f6f4ef; color: #222; }
body > header { background: #3b2f2f; color: #f6e7c1; padding: 12px 20px; display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
body > header h1 { font-size: 20px; margin: 0; }
#shops { padding: 16px; display: grid; gap: 16px; }
section.shop { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 3px #0002; }
section.shop header { display: flex; gap: 12px; align-items: baseline; }
section.shop h2 { margin: 0; font-size: 18px; }
.url { color: #777; font-size: 12px; flex: 1; }
.burn { background: #b71c1c; color: #fff; border: 0; border-radius: 4px; padding: 6px 12px; cursor: pointer; }
.figures { display: flex; gap: 24px; margin: 12px 0; flex-wrap: wrap; }
.figures b { display: block; font-size: 22px; } .figures small { color: #777; } .bad { color: #b71c1c; }
.charts { display: grid; grid-template-columns: 2fr 1fr; gap: 16px; } .chart { position: relative; height: 240px; }
.tables { display: grid; grid-template-columns: 1fr 2fr; gap: 16px; }
table { border-collapse: collapse; font-size: 12px; } th, td { padding: 2px 8px; text-align: left; border-bottom: 1px solid #eee; }
h3 { font-size: 14px; margin: 12px 0 4px; } .errors ul { margin: 0; padding-left: 18px; font-size: 12px; } .kinds { color: #b71c1c; }
input { padding: 4px 6px; } #status { font-size: 12px; }
`;
