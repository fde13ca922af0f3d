'use strict';
// The example web service: a small HTTP API on PostgreSQL and Redis, written
// the way the team's performance guide says (an index on users(email), a pg
// connection pool, one shared Redis client, Redis caching of expensive reads,
// batched lookups), with one switch per piece of advice to undo it, so that the
// gate can be shown to catch each mistake.
//
// usage: node server.js [--no-index] [--no-pg-pool] [--no-redis-pool]
//                       [--no-cache] [--slowdown PCT]
//
// The connection details come from the environment (run.sh sets them):
//   DATABASE_URL                        PostgreSQL, e.g. postgres://app:app@127.0.0.1:5432/app
//   PGHOST, PGPORT, PGDATABASE, PGUSER  PostgreSQL without DATABASE_URL (read by node-pg itself)
//   REDIS_URL                           e.g. redis://127.0.0.1:6390
//   PORT (or API_PORT)                  the port; 0 (default) for a free one
// Once ready it prints "listening on http://127.0.0.1:PORT (...)" on stdout;
// run.sh waits for that line. Only Node's own modules plus Debian's node-pg
// and node-redis are used; --no-batching is a switch of the load (run.sh),
// not of the service: the service offers both /batch and /users/ID.

const fs = require('node:fs');
const http = require('node:http');
const { URL } = require('node:url');
const pg = require('pg');
const redis = require('redis');

/** @typedef {{noIndex: boolean, noPgPool: boolean, noRedisPool: boolean, noCache: boolean, slowdown: number}} Options */

/** @returns {Options} */
function parseArgs(/** @type {string[]} */ argv) {
  /** @type {Options} */
  const options = { noIndex: false, noPgPool: false, noRedisPool: false, noCache: false, slowdown: 0 };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--no-index') options.noIndex = true;
    else if (arg === '--no-pg-pool') options.noPgPool = true;
    else if (arg === '--no-redis-pool') options.noRedisPool = true;
    else if (arg === '--no-cache') options.noCache = true;
    else if (arg === '--slowdown') {
      const pct = Number(argv[i + 1]);
      if (!Number.isFinite(pct) || pct < 0 || pct > 1000) usage(`--slowdown needs a percentage 0-1000, got ${argv[i + 1]}`);
      options.slowdown = pct;
      i += 1;
    } else usage(`unknown argument ${arg}`);
  }
  return options;
}

/** @param {string} message @returns {never} */
function usage(message) {
  process.stderr.write(`server.js: ${message}\nusage: node server.js [--no-index] [--no-pg-pool] [--no-redis-pool] [--no-cache] [--slowdown PCT]\n`);
  process.exit(2);
}

const options = parseArgs(process.argv.slice(2));

// ---------------------------------------------------------------------------
// Metrics, in the Prometheus text format, by hand (no client library in
// Debian). Buckets start at 50 µs so that a pooled connection (tens of µs)
// and a fresh one (milliseconds) land in different buckets.

const BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** @param {string} value */
function escapeLabel(value) {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** @param {Record<string, string>} labels @param {string} [extra] */
function labelText(labels, extra) {
  const parts = Object.keys(labels).sort().map((key) => `${key}="${escapeLabel(labels[key])}"`);
  if (extra) parts.push(extra);
  return parts.length ? `{${parts.join(',')}}` : '';
}

class Histogram {
  /** @param {string} name @param {string} help */
  constructor(name, help) {
    this.name = name;
    this.help = help;
    /** @type {Map<string, {labels: Record<string, string>, counts: number[], sum: number, count: number}>} */
    this.series = new Map();
  }

  /** @param {Record<string, string>} labels @param {number} seconds */
  observe(labels, seconds) {
    const key = JSON.stringify(labels);
    let series = this.series.get(key);
    if (!series) {
      series = { labels, counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    for (let i = 0; i < BUCKETS.length; i += 1) if (seconds <= BUCKETS[i]) series.counts[i] += 1;
    series.sum += seconds;
    series.count += 1;
  }

  /** @returns {string} */
  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      BUCKETS.forEach((le, i) => lines.push(`${this.name}_bucket${labelText(s.labels, `le="${le}"`)} ${s.counts[i]}`));
      lines.push(`${this.name}_bucket${labelText(s.labels, 'le="+Inf"')} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`);
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines.join('\n');
  }
}

class Counter {
  /** @param {string} name @param {string} help */
  constructor(name, help) {
    this.name = name;
    this.help = help;
    /** @type {Map<string, {labels: Record<string, string>, value: number}>} */
    this.series = new Map();
  }

  /** @param {Record<string, string>} [labels] @param {number} [by] */
  inc(labels = {}, by = 1) {
    const key = JSON.stringify(labels);
    const series = this.series.get(key) || { labels, value: 0 };
    series.value += by;
    this.series.set(key, series);
  }

  /** @param {Record<string, string>} [labels] */
  get(labels = {}) {
    const series = this.series.get(JSON.stringify(labels));
    return series ? series.value : 0;
  }

  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    // A counter with no series yet is still written as 0, so that a scrape
    // always has the same names (a missing name would be "missing").
    if (this.series.size === 0) lines.push(`${this.name} 0`);
    for (const s of this.series.values()) lines.push(`${this.name}${labelText(s.labels)} ${s.value}`);
    return lines.join('\n');
  }
}

/** @param {string} name @param {string} help @param {number} value */
function gauge(name, help, value) {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}`;
}

const requestDuration = new Histogram('http_request_duration_seconds', 'Time from request to response, by route.');
const queryDuration = new Histogram('db_query_duration_seconds', 'PostgreSQL query time measured around each query, by query name.');
const pgAcquire = new Histogram('pg_pool_acquire_duration_seconds', 'Time to get a PostgreSQL connection: pool checkout, or a new connection with --no-pg-pool.');
const redisAcquire = new Histogram('redis_acquire_duration_seconds', 'Time to get a Redis connection: the shared client, or a new connection with --no-redis-pool.');
const redisCommand = new Histogram('redis_command_duration_seconds', 'Redis command time, by command.');
const apiCalls = new Counter('api_calls_total', 'API calls received, by route (not counting /metrics).');
const lookupItems = new Counter('lookup_items_total', 'Users looked up by id, through /batch or /users/ID.');
const cacheHits = new Counter('cache_hits_total', 'Cacheable reads served from Redis.');
const cacheMisses = new Counter('cache_misses_total', 'Cacheable reads served from PostgreSQL (all of them with --no-cache).');

/** @param {bigint} start @returns {number} seconds since start */
function since(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

// ---------------------------------------------------------------------------
// PostgreSQL: a pool of connections, or with --no-pg-pool a new Client per
// request (connect, query, end), the mistake the guide warns about: every
// request pays a TCP connect, authentication and a new backend process.

// The pool holds up to 100 connections, as many as the gated load has users at
// once, so that a request waits for a connection only when the database is
// really short of them: what pg_pool_acquire_duration_seconds then measures is
// the cost of getting a connection, not a queue in front of a small pool.
const connection = process.env.DATABASE_URL ? { connectionString: process.env.DATABASE_URL } : {};
const pool = new pg.Pool({ ...connection, max: 100, idleTimeoutMillis: 0 });
pool.on('error', (error) => process.stderr.write(`pg pool: ${error.message}\n`));

/** @typedef {{query: (text: string, values?: unknown[]) => Promise<pg.QueryResult>, done: () => Promise<void>}} Db */

/** @returns {Promise<Db>} */
async function acquireDb() {
  const start = process.hrtime.bigint();
  if (options.noPgPool) {
    const client = new pg.Client(connection);
    await client.connect();
    pgAcquire.observe({}, since(start));
    return { query: (text, values) => client.query(text, values), done: () => client.end() };
  }
  const client = await pool.connect();
  pgAcquire.observe({}, since(start));
  return { query: (text, values) => client.query(text, values), done: async () => client.release() };
}

/**
 * Runs one named query on a connection of its own and times the query alone
 * (db_query_duration_seconds), apart from getting the connection.
 * @param {string} name @param {string} text @param {unknown[]} values
 * @returns {Promise<any[]>}
 */
async function query(name, text, values) {
  const db = await acquireDb();
  try {
    const start = process.hrtime.bigint();
    const result = await db.query(text, values);
    queryDuration.observe({ query: name }, since(start));
    return result.rows;
  } finally {
    await db.done();
  }
}

// ---------------------------------------------------------------------------
// Redis: one shared client for the process, or with --no-redis-pool a new
// connection per use (connect, command, quit).

const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
/** @type {ReturnType<typeof redis.createClient> | null} */
let sharedRedis = null;

/** @returns {Promise<{client: ReturnType<typeof redis.createClient>, done: () => Promise<void>}>} */
async function acquireRedis() {
  const start = process.hrtime.bigint();
  if (options.noRedisPool || !sharedRedis) {
    const client = redis.createClient({ url: redisUrl });
    client.on('error', (error) => process.stderr.write(`redis: ${error.message}\n`));
    await client.connect();
    redisAcquire.observe({}, since(start));
    return { client, done: async () => { await client.quit(); } };
  }
  redisAcquire.observe({}, since(start));
  return { client: sharedRedis, done: async () => {} };
}

/**
 * @template T
 * @param {string} command @param {(client: ReturnType<typeof redis.createClient>) => Promise<T>} run
 * @returns {Promise<T>}
 */
async function redisDo(command, run) {
  const conn = await acquireRedis();
  try {
    const start = process.hrtime.bigint();
    const value = await run(conn.client);
    redisCommand.observe({ command }, since(start));
    return value;
  } finally {
    await conn.done();
  }
}

/**
 * A read through the Redis cache: GET the key; on a miss compute and SET it
 * with a TTL. With --no-cache Redis is not asked and the read is a miss.
 * @param {string} key @param {number} ttlSeconds @param {() => Promise<unknown>} compute
 * @returns {Promise<unknown>}
 */
async function cached(key, ttlSeconds, compute) {
  if (options.noCache) {
    cacheMisses.inc();
    return compute();
  }
  const hit = await redisDo('get', (client) => client.get(key));
  if (hit !== null && hit !== undefined) {
    cacheHits.inc();
    return JSON.parse(hit);
  }
  cacheMisses.inc();
  const value = await compute();
  await redisDo('set', (client) => client.set(key, JSON.stringify(value), { EX: ttlSeconds }));
  return value;
}

// ---------------------------------------------------------------------------
// Routes. Each returns [status, body]; the wrapper below times it, applies
// --slowdown and counts the call.

/** @typedef {[number, unknown]} Reply */

const STATUSES = new Set(['pending', 'paid', 'shipped', 'delivered', 'cancelled']);

/** @param {string} text @returns {number | null} */
function userId(text) {
  return /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : null;
}

/** @param {URL} url @returns {Promise<Reply>} */
async function usersByEmail(url) {
  const email = url.searchParams.get('email');
  if (!email) return [400, { error: 'email is required' }];
  const rows = await query('user_by_email', 'SELECT id, email, name FROM users WHERE email = $1', [email]);
  return rows.length ? [200, rows[0]] : [404, { error: 'no such user' }];
}

/** @param {number} id @returns {Promise<Reply>} */
async function userById(id) {
  lookupItems.inc();
  const rows = await query('user_by_id', 'SELECT id, email, name FROM users WHERE id = $1', [id]);
  return rows.length ? [200, rows[0]] : [404, { error: 'no such user' }];
}

/** @param {number[]} ids @returns {Promise<Reply>} */
async function batch(ids) {
  if (ids.length === 0 || ids.length > 100) return [400, { error: '1 to 100 ids' }];
  lookupItems.inc({}, ids.length);
  const rows = await query('users_by_ids', 'SELECT id, email, name FROM users WHERE id = ANY($1::int[]) ORDER BY id', [ids]);
  return [200, { users: rows }];
}

/** @param {URL} url @returns {Promise<Reply>} */
async function orders(url) {
  const status = url.searchParams.get('status') || '';
  const user = userId(url.searchParams.get('user') || '');
  if (!STATUSES.has(status) || user === null) return [400, { error: 'status and user are required' }];
  const rows = await cached(`orders:${user}:${status}`, 30, () => query('orders_by_status_user',
    'SELECT id, total, created_at FROM orders WHERE user_id = $1 AND status = $2 ORDER BY created_at DESC LIMIT 50',
    [user, status]));
  return [200, { orders: rows }];
}

/** @returns {Promise<Reply>} */
async function summary() {
  // An aggregate over every order: about 100 ms of PostgreSQL work, the kind of
  // read the guide says to cache (a TTL of 10 s: slightly stale is fine).
  const rows = await cached('summary', 10, () => query('orders_summary',
    'SELECT status, count(*)::int AS orders, sum(total)::text AS total FROM orders GROUP BY status ORDER BY status', []));
  return [200, { summary: rows }];
}

/** @returns {Promise<Reply>} */
async function health() {
  // Readiness: both backends answer (through the same acquire paths, so
  // their histograms have data in every mode).
  await query('health', 'SELECT 1', []);
  await redisDo('ping', (client) => client.ping());
  return [200, { ok: true }];
}

function renderMetrics() {
  const hits = cacheHits.get();
  const misses = cacheMisses.get();
  return [
    requestDuration.render(), queryDuration.render(), pgAcquire.render(),
    gauge('pg_pool_waiting_clients', 'Requests waiting for a pool connection at scrape time.', pool.waitingCount),
    gauge('pg_pool_total_connections', 'Connections the pool holds at scrape time.', pool.totalCount),
    redisAcquire.render(), redisCommand.render(), cacheHits.render(), cacheMisses.render(),
    gauge('cache_hit_ratio', 'cache_hits_total / (hits + misses), 0 before any cacheable read.', hits + misses ? hits / (hits + misses) : 0),
    apiCalls.render(), lookupItems.render(),
    gauge('process_resident_memory_bytes', 'Resident set size of the Node process.', process.memoryUsage().rss),
    gauge('nodejs_heap_used_bytes', 'V8 heap in use.', process.memoryUsage().heapUsed),
  ].join('\n') + '\n';
}

/** @param {http.IncomingMessage} req @returns {Promise<string>} */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > 65536) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** @param {http.IncomingMessage} req @param {URL} url @returns {Promise<[string, Reply]>} route and reply */
async function dispatch(req, url) {
  const path = url.pathname;
  if (req.method === 'GET' && path === '/users') return ['/users', await usersByEmail(url)];
  if (req.method === 'GET' && path.startsWith('/users/')) {
    const id = userId(path.slice('/users/'.length));
    return ['/users/:id', id === null ? [400, { error: 'bad id' }] : await userById(id)];
  }
  if (path === '/batch' && (req.method === 'GET' || req.method === 'POST')) {
    /** @type {unknown} */
    let ids = (url.searchParams.get('ids') || '').split(',').filter((s) => s !== '').map(userId);
    if (req.method === 'POST') {
      try { ids = JSON.parse(await readBody(req)).ids; } catch { ids = null; }
    }
    if (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id) || id < 1)) return ['/batch', [400, { error: 'ids: a list of user ids' }]];
    return ['/batch', await batch(/** @type {number[]} */ (ids))];
  }
  if (req.method === 'GET' && path === '/orders') return ['/orders', await orders(url)];
  if (req.method === 'GET' && path === '/summary') return ['/summary', await summary()];
  if (req.method === 'GET' && path === '/health') return ['/health', await health()];
  return ['other', [404, { error: 'not found' }]];
}

// --slowdown PCT: every request costs PCT% more CPU than a request of the
// tuned service does, as a slower build of the same code would. A request's
// cost is the service's CPU time per request over the last second or so: this
// process's (Node runs the JavaScript of every request on one thread) plus
// that of the PostgreSQL backends of its pool (read from /proc on Linux), less
// the extra work itself. Waiting instead of working would not show under a
// load that saturates the service: other requests would use the CPU meanwhile.
let slowdownSpent = 0;
let requestsServed = 0;
/** CPU milliseconds per request, once measured under load. */
let requestCost = 0;
/** PostgreSQL backend pid → its CPU milliseconds when first seen. */
const backends = new Map();

/** @param {number} pid @returns {number} CPU milliseconds of a process, 0 where /proc cannot tell */
function processCpu(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 1/100 s
  } catch {
    return 0;
  }
}

/** @returns {number} CPU milliseconds of this process and of its pool's backends */
function serviceCpu() {
  const own = process.cpuUsage();
  let total = (own.user + own.system) / 1000;
  for (const [pid, start] of backends) total += Math.max(0, processCpu(pid) - start);
  return total;
}

if (options.slowdown > 0) {
  pool.on('connect', (client) => {
    const pid = /** @type {any} */ (client).processID;
    if (typeof pid === 'number') backends.set(pid, processCpu(pid));
  });
  let last = { cpu: 0, spent: 0, served: 0 };
  setInterval(() => {
    const now = { cpu: serviceCpu(), spent: slowdownSpent, served: requestsServed };
    const served = now.served - last.served;
    // Only a busy interval measures the cost of a request (an idle one is all overhead).
    if (served >= 100 && last.served > 0) {
      const cost = (now.cpu - last.cpu - (now.spent - last.spent)) / served;
      requestCost = requestCost > 0 ? 0.7 * requestCost + 0.3 * cost : cost;
    }
    last = now;
  }, 200).unref();
}

function slowDown() {
  requestsServed += 1;
  if (options.slowdown <= 0 || requestCost <= 0) return;
  const extra = requestCost * options.slowdown / 100;
  // Work until the process has used `extra` ms more CPU (not wall time: on a
  // shared machine the process may wait for a core meanwhile).
  const before = process.cpuUsage();
  let spent = 0;
  while (spent < extra) {
    const now = process.cpuUsage(before);
    spent = (now.user + now.system) / 1000;
  }
  slowdownSpent += spent;
}

const server = http.createServer(async (req, res) => {
  const start = process.hrtime.bigint();
  const url = new URL(req.url || '/', 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(renderMetrics());
    return;
  }
  /** @type {string} */
  let route = 'other';
  /** @type {Reply} */
  let reply;
  try {
    [route, reply] = await dispatch(req, url);
  } catch (error) {
    reply = [500, { error: error instanceof Error ? error.message : String(error) }];
  }
  slowDown();
  apiCalls.inc({ route });
  const body = JSON.stringify(reply[1]);
  res.writeHead(reply[0], { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  requestDuration.observe({ route }, since(start));
});
server.keepAliveTimeout = 65000;

async function main() {
  // The index state is set here, not at seeding, so that one seeded database
  // serves every variant: --no-index drops idx_users_email, the default makes
  // sure it exists (a few hundred ms on 300,000 users).
  const db = await acquireDb();
  try {
    if (options.noIndex) await db.query('DROP INDEX IF EXISTS idx_users_email');
    else await db.query('CREATE INDEX IF NOT EXISTS idx_users_email ON users (email)');
    await db.query('ANALYZE users');
  } finally {
    await db.done();
  }
  // One shared client for the process; FLUSHDB so that each start begins with
  // a cold cache, whatever an earlier run on the same Redis left.
  const shared = redis.createClient({ url: redisUrl });
  shared.on('error', (error) => process.stderr.write(`redis: ${error.message}\n`));
  await shared.connect();
  await shared.flushDb();
  if (!options.noRedisPool) sharedRedis = shared;
  else await shared.quit();

  const port = Number(process.env.PORT || process.env.API_PORT || 0);
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    const actual = address && typeof address === 'object' ? address.port : port;
    // The start-up's own work (the index) is not a request's.
    for (const pid of backends.keys()) backends.set(pid, processCpu(pid));
    const on = Object.entries(options).filter(([, v]) => v).map(([k, v]) => (v === true ? k : `${k}=${v}`));
    process.stdout.write(`listening on http://127.0.0.1:${actual} (${on.length ? on.join(', ') : 'tuned'})\n`);
  });
}

function shutdown() {
  server.close();
  server.closeAllConnections();
  Promise.allSettled([pool.end(), sharedRedis ? sharedRedis.quit() : Promise.resolve()])
    .finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

main().catch((error) => {
  process.stderr.write(`server.js: start-up failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
