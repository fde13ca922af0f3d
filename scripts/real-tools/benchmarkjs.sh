#!/bin/sh
# Regenerate real benchmark.js (2.1.4, Debian bookworm node-benchmark) output:
# several suites that reuse the same benchmark names, printed the way
# benchmark.js users usually do (String(event.target) per cycle, a header per
# suite, and "Fastest is ...").
#
# Needs: apt-get install -y node-benchmark   (and a `node` on PATH)
# Debian installs the module under /usr/share/nodejs/benchmark; a node that is
# not Debian's (e.g. nodesource) does not search there, so NODE_PATH is set.
#
# Usage: benchmarkjs.sh [OUTDIR]   (default: ./out/benchmarkjs)
# Writes: OUTDIR/console.txt (stdout+stderr), OUTDIR/bench.js (the program),
#         OUTDIR/results.json (this script's own side dump, not a tool format)
set -eu

OUTDIR=${1:-./out/benchmarkjs}
NODE=${NODE:-node}
MODDIR=${BENCHMARKJS_DIR:-/usr/share/nodejs}
if [ ! -f "$MODDIR/benchmark/benchmark.js" ]; then
  echo "missing $MODDIR/benchmark: apt-get install -y node-benchmark" >&2
  exit 1
fi
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bjs.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

cat > "$WORK/bench.js" <<'JS'
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
JS

cp "$WORK/bench.js" "$OUTDIR/bench.js"
cd "$WORK"
NODE_PATH="$MODDIR${NODE_PATH:+:$NODE_PATH}" BENCH_DUMP="$OUTDIR/results.json" \
  "$NODE" bench.js > "$OUTDIR/console.txt" 2>&1
{
  echo "node $("$NODE" --version)"
  echo "benchmark.js $(NODE_PATH="$MODDIR" "$NODE" -e 'process.stdout.write(require("benchmark").version)')"
} > "$OUTDIR/versions.txt"
echo "wrote $OUTDIR"
