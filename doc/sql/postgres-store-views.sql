-- postgres-store-views.sql: views a back office reads over the tables of libpossession-pg
-- (doc/postgres-store.md): one row per session, cash movement, journal entry, entry line
-- and audit entry, and the view `records` with the payload as jsonb, which the order views
-- of postgres-views.sql read. Load both, this file first, in the schema of the store's
-- tables (the connection's search_path):
--
--   psql "$CONNINFO" -f doc/sql/postgres-store-views.sql -f doc/sql/postgres-views.sql
--
-- The store keeps each payload as the text the library wrote (byte for byte); the views
-- cast it to jsonb when they are read. The library never writes the escape \u0000, which
-- jsonb refuses. Figures are bigint, flags boolean, positions count from 0 as the API does;
-- times are milliseconds since 1970. tests/storage/pg-views.c checks every view against the
-- library's getters on a session it recorded and closed.

DROP VIEW IF EXISTS pss_orders, pss_order_payments, pss_order_lines, pss_order_line_taxes,
    pss_order_line_rows, pss_sessions, pss_cash_movements, pss_entry_lines, pss_entries,
    pss_audit_entries, records;

-- Every record, the payload as jsonb (the shape doc/sql/postgres-views.sql expects).
CREATE VIEW records AS
SELECT seq, kind, id, parent, rev, payload::jsonb AS payload FROM pss_record;

-- One row per session. The running totals are the session record's (doc/storage.md,
-- "session"): final once the session is closed.
CREATE VIEW pss_sessions AS
SELECT id, parent AS config_id, payload->>'name' AS name, (payload->>'seq')::bigint AS seq,
       payload->>'state' AS state, (payload->>'rescue')::boolean AS rescue,
       (payload->>'forced')::boolean AS forced, payload->>'user' AS user_name,
       payload->>'device' AS device, payload->>'date' AS operating_date,
       (payload->>'created_at')::bigint AS created_at,
       (payload->>'opened_at')::bigint AS opened_at, payload->>'opened_by' AS opened_by,
       (payload->>'closed_at')::bigint AS closed_at, payload->>'closed_by' AS closed_by,
       (payload->>'opening_expected')::bigint AS opening_expected,
       (payload->>'opening_counted')::bigint AS opening_counted,
       (payload->'count'->>'cash')::bigint AS counted_cash,
       (payload->'totals'->>'cash_payments')::bigint AS cash_payments,
       (payload->'totals'->>'change')::bigint AS change,
       (payload->'totals'->>'cash_in')::bigint AS cash_in,
       (payload->'totals'->>'cash_out')::bigint AS cash_out,
       (payload->'totals'->>'expenses')::bigint AS expenses,
       (payload->'totals'->>'orders')::bigint AS orders,
       (payload->'totals'->>'refunds')::bigint AS refunds,
       (payload->'totals'->>'paid_total')::bigint AS paid_total,
       payload->>'entry' AS entry_id
FROM records WHERE kind = 'session';

-- One row per cash movement (voided ones too: see voided).
CREATE VIEW pss_cash_movements AS
SELECT id, parent AS session_id, payload->>'kind' AS kind, (payload->>'amount')::bigint AS amount,
       payload->>'reason' AS reason, payload->>'account' AS account, payload->>'user' AS user_name,
       (payload->>'time')::bigint AS time, coalesce((payload->>'voided')::boolean, false) AS voided,
       payload->>'void_reason' AS void_reason
FROM records WHERE kind = 'movement';

-- One row per journal entry, posted when its session closed.
CREATE VIEW pss_entries AS
SELECT id, payload->>'session' AS session_id, parent AS config_id,
       payload->>'reference' AS reference, payload->>'date' AS date,
       payload->>'currency' AS currency, (payload->>'exponent')::int AS exponent,
       (payload->>'posted_at')::bigint AS posted_at, (payload->>'total')::bigint AS total
FROM records WHERE kind = 'entry';

-- One row per entry line: a debit or a credit.
CREATE VIEW pss_entry_lines AS
SELECT r.id AS entry_id, r.payload->>'session' AS session_id, (l.n - 1)::int AS line,
       l.v->>'account' AS account, (l.v->>'debit')::bigint AS debit,
       (l.v->>'credit')::bigint AS credit, l.v->>'label' AS label, l.v->>'kind' AS kind,
       l.v->>'method' AS method, l.v->>'tax' AS tax, l.v->>'partner' AS partner
FROM records r, jsonb_array_elements(r.payload->'lines') WITH ORDINALITY AS l(v, n)
WHERE r.kind = 'entry';

-- One row per audit entry, in the order readers page through them (seq).
CREATE VIEW pss_audit_entries AS
SELECT a.seq, a.subject, p->>'action' AS action, (p->>'time')::bigint AS time,
       p->>'user' AS user_name, p->>'role' AS role, p->>'device' AS device,
       (p->>'outcome')::int AS outcome, p->>'detail' AS detail, p->'figures' AS figures
FROM (SELECT seq, subject, payload::jsonb AS p FROM pss_audit) a;
