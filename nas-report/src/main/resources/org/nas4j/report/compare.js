'use strict';
// A comparison of several searches: per strategy, the mean best-so-far over its runs (seeds) with the lowest and
// highest run, and a table of the final best values. Drawn from DATA (see Reports.compare).

(function () {
  const app = document.getElementById('app');
  const objective = DATA.objective.metric;
  const maximize = DATA.objective.maximize;
  app.appendChild(el('h1', {}, DATA.title));

  // The best value after trial i (null before the first ranked trial), for i = 0..last.
  function curve(run, last) {
    const values = new Array(last + 1).fill(null);
    let k = 0;
    let current = null;
    for (let i = 0; i <= last; i++) {
      while (k < run.bestSoFar.length && run.bestSoFar[k].id <= i) {
        current = run.bestSoFar[k].value;
        k++;
      }
      values[i] = current;
    }
    return values;
  }

  const groups = new Map();
  for (const run of DATA.runs) {
    if (!groups.has(run.strategy)) {
      groups.set(run.strategy, []);
    }
    groups.get(run.strategy).push(run);
  }
  const last = Math.max(0, ...DATA.runs.map(r => r.bestSoFar.length ? r.bestSoFar[r.bestSoFar.length - 1].id : 0));
  const series = [];
  const rows = [];
  let index = 0;
  const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
  for (const [strategy, runs] of groups) {
    const color = palette[index % palette.length];
    const label = 'S' + (++index);
    const curves = runs.map(r => curve(r, last));
    const mean = [], low = [], high = [];
    for (let i = 0; i <= last; i++) {
      const vs = curves.map(c => c[i]);
      if (vs.some(v => v === null)) {
        continue; // only where every run has a value
      }
      mean.push([i, vs.reduce((a, b) => a + b, 0) / vs.length]);
      low.push([i, Math.min(...vs)]);
      high.push([i, Math.max(...vs)]);
    }
    series.push({name: label + ' mean of ' + runs.length, type: 'line', step: 'end', showSymbol: false,
      itemStyle: {color}, data: mean});
    series.push({name: label + ' lowest / highest', type: 'line', step: 'end', showSymbol: false,
      lineStyle: {type: 'dashed', width: 1}, itemStyle: {color}, data: low});
    series.push({name: label + ' lowest / highest', type: 'line', step: 'end', showSymbol: false,
      lineStyle: {type: 'dashed', width: 1}, itemStyle: {color}, data: high});
    const finals = runs.map(r => r.bestSoFar.length ? r.bestSoFar[r.bestSoFar.length - 1].value : null)
      .filter(v => v !== null);
    const m = finals.reduce((a, b) => a + b, 0) / Math.max(1, finals.length);
    const sd = finals.length > 1
      ? Math.sqrt(finals.reduce((a, b) => a + (b - m) * (b - m), 0) / (finals.length - 1)) : 0;
    rows.push([label, el('code', {}, strategy), runs.length, m, sd,
      runs.map(r => 'seed ' + r.seed + ': ' + fmt(r.bestSoFar.length ? r.bestSoFar[r.bestSoFar.length - 1].value : NaN))
        .join(', ')]);
  }
  app.appendChild(el('h2', {}, 'Best ' + objective + ' so far (' + (maximize ? 'higher' : 'lower') + ' is better)'));
  chart(app, {
    tooltip: {trigger: 'axis'},
    legend: {bottom: 0},
    xAxis: {type: 'value', name: 'trial', max: last},
    yAxis: {type: 'value', name: objective, scale: true},
    series
  });
  app.appendChild(el('h2', {}, 'Final best per strategy (mean and sample standard deviation over runs)'));
  app.appendChild(table(['', 'strategy', 'runs', 'mean', 'std', 'runs\' best'], rows));
  document.body.setAttribute('data-ready', 'true');
})();
