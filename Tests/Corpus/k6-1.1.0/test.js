import http from 'k6/http';
import { check, sleep } from 'k6';

const BASE = __ENV.BASE_URL;

export const options = {
  scenarios: {
    // Closed model: 2 VUs loading the home page for 4 s.
    browse: {
      executor: 'constant-vus',
      exec: 'browse',
      vus: 2,
      duration: '4s',
      gracefulStop: '1s',
    },
    // Open model with too few VUs: 20 iterations/s are asked for, but one VU
    // that sleeps 0.2 s per iteration can do about 4/s -> dropped_iterations.
    api: {
      executor: 'constant-arrival-rate',
      exec: 'api',
      rate: 20,
      timeUnit: '1s',
      duration: '4s',
      preAllocatedVUs: 1,
      maxVUs: 1,
      gracefulStop: '1s',
    },
  },
  thresholds: {
    // passes: local responses are fast
    'http_req_duration{expected_response:true}': ['p(95)<500', 'avg<250'],
    // fails: one request in three of the api scenario is a 404
    http_req_failed: ['rate<0.01'],
    // passes, on a name-tagged submetric
    'http_req_duration{name:home}': ['p(99)<1000'],
    // fails: the 404 check fails every time
    'checks{check:data is 200}': ['rate>0.99'],
  },
};

export function browse() {
  const res = http.get(`${BASE}/index.html`, { tags: { name: 'home' } });
  check(res, {
    'home is 200': (r) => r.status === 200,
    'home has body': (r) => r.body.includes('hello'),
  });
  sleep(0.2);
}

export function api() {
  const ok = http.get(`${BASE}/data.json`, { tags: { name: 'data' } });
  check(ok, { 'data is 200': (r) => r.status === 200 });
  const missing = http.get(`${BASE}/missing.json`, { tags: { name: 'missing' } });
  check(missing, { 'data is 200': (r) => r.status === 200 });
  const again = http.get(`${BASE}/data.json`, { tags: { name: 'data' } });
  check(again, { 'data is 200': (r) => r.status === 200 });
  sleep(0.2);
}
