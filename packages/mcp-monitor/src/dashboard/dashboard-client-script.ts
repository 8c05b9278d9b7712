// The dashboard page's own script (runs in the browser): polls the monitor's JSON, turns the
// cumulative histograms into per-interval rates and percentiles (as PromQL's rate() and
// histogram_quantile would), draws them with uPlot and fills the tables. Data is written with
// DOM text nodes only: server and tool names come from servers and are never parsed as HTML.
export const DASHBOARD_CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('mcp-config').textContent);
  var MAX_POINTS = 300;
  var bounds = null;
  var previous = null;
  var series = { time: [], p50: [], p95: [], p99: [], rps: [], errorRate: [] };
  var view = { polls: 0, points: 0, lastP95Ms: null, lastRps: null, totalCalls: 0, error: null };
  window.mcpDashboard = view;

  function el(id) { return document.getElementById(id); }
  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }
  function fixed(value, digits) { return value == null || !isFinite(value) ? '–' : Number(value).toFixed(digits); }
  function ago(at) {
    if (!at) return 'never';
    var seconds = Math.max(0, Math.round((Date.now() - at) / 1000));
    return seconds < 60 ? seconds + ' s ago' : Math.round(seconds / 60) + ' min ago';
  }
  function quantile(q, counts) {
    var total = 0, i;
    for (i = 0; i < counts.length; i++) total += counts[i];
    if (total === 0) return null;
    var rank = q * total, below = 0;
    for (i = 0; i < counts.length; i++) {
      if (counts[i] > 0 && below + counts[i] >= rank) {
        if (i >= bounds.length) return bounds[bounds.length - 1] * 1000;
        var lower = i === 0 ? 0 : bounds[i - 1];
        return (lower + (bounds[i] - lower) * ((rank - below) / counts[i])) * 1000;
      }
      below += counts[i];
    }
    return bounds[bounds.length - 1] * 1000;
  }
  function isError(type) { return type !== undefined && type !== 'cancelled'; }

  // Sums every series into per-bucket counts (not cumulative), calls and errors.
  function totals(operations) {
    var counts = new Array(bounds.length + 1).fill(0), calls = 0, errors = 0;
    operations.forEach(function (op) {
      var below = 0;
      op.buckets.forEach(function (bucket, index) { counts[index] += bucket.count - below; below = bucket.count; });
      calls += op.count;
      if (isError(op.errorType)) errors += op.count;
    });
    return { counts: counts, calls: calls, errors: errors, at: performance.now() };
  }

  function innerWidth(target) {
    var style = getComputedStyle(target);
    return Math.max(240, target.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight));
  }
  function chart(target, title, lines, unit) {
    var opts = {
      title: title,
      width: innerWidth(target),
      height: 220,
      scales: { x: { time: true } },
      series: [{}].concat(lines.map(function (line) {
        return { label: line.label, stroke: line.color, width: 2, spanGaps: false, value: function (u, v) { return v == null ? '–' : v.toFixed(1) + unit; } };
      })),
      axes: [{}, { values: function (u, ticks) { return ticks.map(function (t) { return t + unit; }); }, size: 60 }],
    };
    return new uPlot(opts, [[]].concat(lines.map(function () { return []; })), target);
  }
  var latencyChart = chart(el('latency-chart'), 'Latency (interval percentiles)', [
    { label: 'p50', color: '#2b8a3e' }, { label: 'p95', color: '#e8590c' }, { label: 'p99', color: '#c92a2a' },
  ], ' ms');
  var trafficChart = chart(el('traffic-chart'), 'Requests per second and error rate', [
    { label: 'requests/s', color: '#1c7ed6' }, { label: 'errors %', color: '#c92a2a' },
  ], '');

  function push(key, value) {
    series[key].push(value);
    if (series[key].length > MAX_POINTS) series[key].shift();
  }

  function renderServers(status) {
    var body = el('servers');
    body.textContent = '';
    status.servers.forEach(function (server) {
      var row = document.createElement('tr');
      row.setAttribute('data-testid', 'server-row');
      row.setAttribute('data-server', server.server);
      cell(row, server.server);
      cell(row, server.state, 'state state-' + server.state);
      cell(row, fixed(server.latencyMs, 1) + ' ms');
      cell(row, fixed(server.p95LatencyMs, 1) + ' ms');
      cell(row, fixed(server.rpm, 0));
      cell(row, fixed(server.errorRate, 1) + ' %');
      cell(row, String(server.inFlight));
      cell(row, ago(server.lastSuccessAt));
      cell(row, server.lastError ? server.lastError.type + ': ' + server.lastError.message + ' (' + ago(server.lastError.at) + ')' : '–', 'last-error');
      body.appendChild(row);
    });
    el('summary-connected').textContent = status.servers.filter(function (s) { return s.connected; }).length + ' / ' + status.servers.length;
    el('summary-rpm').textContent = fixed(status.rpm, 0);
    el('summary-latency').textContent = fixed(status.latencyMs, 1) + ' ms';
    el('summary-errors').textContent = fixed(status.errorRate, 1) + ' %';
  }

  function renderTools(operations) {
    var tools = {};
    operations.forEach(function (op) {
      if (op.targetKind !== 'tool') return;
      var key = op.server + '\u0000' + op.target;
      var tool = tools[key] || (tools[key] = { server: op.server, name: op.target, calls: 0, errors: 0, counts: new Array(bounds.length + 1).fill(0) });
      tool.calls += op.count;
      if (isError(op.errorType)) tool.errors += op.count;
      var below = 0;
      op.buckets.forEach(function (bucket, index) { tool.counts[index] += bucket.count - below; below = bucket.count; });
    });
    var top = Object.keys(tools).map(function (key) { return tools[key]; })
      .sort(function (a, b) { return b.calls - a.calls; }).slice(0, 10);
    var body = el('tools');
    body.textContent = '';
    top.forEach(function (tool) {
      var row = document.createElement('tr');
      row.setAttribute('data-testid', 'tool-row');
      cell(row, 'mcp://' + tool.server + '/' + tool.name);
      cell(row, String(tool.calls));
      cell(row, fixed(quantile(0.5, tool.counts), 1) + ' ms');
      cell(row, fixed(quantile(0.95, tool.counts), 1) + ' ms');
      cell(row, fixed(tool.calls === 0 ? 0 : (tool.errors / tool.calls) * 100, 1) + ' %');
      body.appendChild(row);
    });
  }

  function update(data) {
    if (!bounds) bounds = data.operations.length > 0 ? data.operations[0].buckets.slice(0, -1).map(function (b) { return b.le; }) : null;
    renderServers(data.status);
    if (!bounds) { view.polls++; return; }
    renderTools(data.operations);
    var now = totals(data.operations);
    view.totalCalls = now.calls;
    if (previous) {
      var seconds = Math.max((now.at - previous.at) / 1000, 0.001);
      var delta = now.counts.map(function (count, index) { return count - previous.counts[index]; });
      var calls = now.calls - previous.calls;
      push('time', Date.now() / 1000);
      push('p50', calls > 0 ? quantile(0.5, delta) : null);
      push('p95', calls > 0 ? quantile(0.95, delta) : null);
      push('p99', calls > 0 ? quantile(0.99, delta) : null);
      push('rps', calls / seconds);
      push('errorRate', calls > 0 ? ((now.errors - previous.errors) / calls) * 100 : null);
      latencyChart.setData([series.time, series.p50, series.p95, series.p99]);
      trafficChart.setData([series.time, series.rps, series.errorRate]);
      view.points = series.time.length;
      if (calls > 0) view.lastP95Ms = series.p95[series.p95.length - 1];
      view.lastRps = series.rps[series.rps.length - 1];
    }
    previous = now;
    view.polls++;
  }

  function poll() {
    fetch(config.dataUrl, { cache: 'no-store' })
      .then(function (response) { if (!response.ok) throw new Error('HTTP ' + response.status); return response.json(); })
      .then(function (data) { view.error = null; el('error').textContent = ''; update(data); el('updated').textContent = new Date().toLocaleTimeString(); })
      .catch(function (error) { view.error = String(error); el('error').textContent = 'Update failed: ' + error; })
      .then(function () { setTimeout(poll, config.refreshMs); });
  }
  window.addEventListener('resize', function () {
    [latencyChart, trafficChart].forEach(function (u) { u.setSize({ width: innerWidth(u.root.parentNode), height: 220 }); });
  });
  poll();
})();
`;
