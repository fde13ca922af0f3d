-- The example's data, generated in PostgreSQL itself (generate_series), so a
-- fresh database is seeded in seconds: 300,000 users and 1,000,000 orders.
-- idx_users_email is NOT created here: server.js creates it (or, with
-- --no-index, drops it) at start-up, so one seeded database serves every
-- variant. The orders index is what /orders needs and is never switched off.
CREATE TABLE users (
    id    integer PRIMARY KEY,
    email text NOT NULL,
    name  text NOT NULL
);
CREATE TABLE orders (
    id         integer PRIMARY KEY,
    user_id    integer NOT NULL,
    status     text NOT NULL,
    total      numeric(10, 2) NOT NULL,
    created_at timestamptz NOT NULL
);
INSERT INTO users (id, email, name)
SELECT i, 'user' || i || '@example.com', 'User ' || i
FROM generate_series(1, 300000) AS i;
-- Statuses, users and amounts spread deterministically (no random()), so that
-- every seeded database is the same one.
INSERT INTO orders (id, user_id, status, total, created_at)
SELECT i,
       1 + (i::bigint * 7919) % 300000,
       (ARRAY['pending', 'paid', 'shipped', 'delivered', 'cancelled'])[1 + i % 5],
       ((i * 37) % 50000) / 100.0,
       timestamptz '2026-01-01' + (i % 31536000) * interval '1 second'
FROM generate_series(1, 1000000) AS i;
CREATE INDEX idx_orders_user_status ON orders (user_id, status, created_at);
VACUUM ANALYZE;
