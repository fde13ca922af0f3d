'use strict';
// Three suites ("Testing format: <name>") with the same two benchmark names,
// "parse" and "stringify", each over a small record list. Two edge cases:
// the kv suite adds a slow benchmark whose name contains " x " (benchmark.js
// prints hz < 100 with two decimals), and a fourth suite "broken" has a
// benchmark that throws (benchmark.js then prints "<name>: <error>").
const Benchmark = require('benchmark');
const fs = require('fs');

const records = [];
for (let i = 0; i < 50; i++) {
  records.push({ id: i, name: 'item' + i, price: (i * 7) % 100, ok: i % 3 === 0 });
}

const formats = {
  json: {
    stringify: (rs) => JSON.stringify(rs),
    parse: (s) => JSON.parse(s),
  },
  csv: {
    stringify: (rs) =>
      rs.map((r) => [r.id, r.name, r.price, r.ok].join(',')).join('\n'),
    parse: (s) =>
      s.split('\n').map((line) => {
        const f = line.split(',');
        return { id: +f[0], name: f[1], price: +f[2], ok: f[3] === 'true' };
      }),
  },
  broken: {
    stringify: (rs) => JSON.stringify(rs),
    parse: () => {
      throw new Error('unsupported format');
    },
  },
  kv: {
    stringify: (rs) =>
      rs.map((r) => Object.keys(r).map((k) => k + '=' + r[k]).join('&')).join(';'),
    parse: (s) =>
      s.split(';').map((rec) => {
        const o = {};
        for (const pair of rec.split('&')) {
          const eq = pair.indexOf('=');
          o[pair.slice(0, eq)] = pair.slice(eq + 1);
        }
        return o;
      }),
  },
};

const opts = { minSamples: 5, maxTime: 0.3, initCount: 1 };
const dump = [];
let sink = 0;

for (const name of ['json', 'csv', 'kv', 'broken']) {
  const fmt = formats[name];
  const text = fmt.stringify(records);
  console.log('Testing format: ' + name);
  const suite = new Benchmark.Suite(name);
  suite
    .add('parse', () => { sink += fmt.parse(text).length; }, opts)
    .add('stringify', () => { sink += fmt.stringify(records).length; }, opts);
  if (name === 'kv') {
    suite.add('bulk parse x 400', () => {
      for (let i = 0; i < 400; i++) sink += fmt.parse(text).length;
    }, opts);
  }
  suite
    .on('cycle', (event) => {
      console.log(String(event.target));
      const b = event.target;
      if (b.error) {
        dump.push({ suite: name, name: b.name, error: String(b.error) });
        return;
      }
      dump.push({
        suite: name,
        name: b.name,
        hz: b.hz,
        rme: b.stats.rme,
        mean_s: b.stats.mean,
        deviation_s: b.stats.deviation,
        samples: b.stats.sample.length,
      });
    })
    .on('complete', function () {
      console.log('Fastest is ' + this.filter('fastest').map('name'));
    })
    .run({ async: false });
}
if (process.env.BENCH_DUMP) {
  fs.writeFileSync(process.env.BENCH_DUMP, JSON.stringify(dump, null, 2) + '\n');
}
if (sink < 0) console.log(sink);
