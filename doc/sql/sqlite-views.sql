-- sqlite-views.sql: views over the order records of the SQLite store (doc/storage.md,
-- "order"): one row per order, order line, line tax and payment, for records of every
-- version (1 to 4). What version 4 leaves out comes back as the sum or difference it is:
-- nothing is rounded here. Load it into the store's file once (it only adds views):
--
--   sqlite3 /var/lib/till/pos.sqlite < doc/sql/sqlite-views.sql
--
-- tests/storage/sqlite-views.c loads it into a file the library wrote and checks every
-- figure against the library's own getters. Figures are integers: amounts in minor units,
-- quantities in thousandths, rates in parts per million; booleans are 0 or 1; positions
-- (line, position, payment) count from 0 as the API does. A paid order of a closed session
-- is listed as stored, 'paid' (the library reads it as done).

DROP VIEW IF EXISTS pss_orders;
DROP VIEW IF EXISTS pss_order_payments;
DROP VIEW IF EXISTS pss_order_lines;
DROP VIEW IF EXISTS pss_order_line_taxes;
DROP VIEW IF EXISTS pss_order_line_rows;

-- One row per stored line, raw: the helper the other views read.
CREATE VIEW pss_order_line_rows AS
SELECT r.id AS order_id, r.parent AS session_id, r.payload AS payload,
       json_extract(r.payload, '$.v') >= 4 AS v4, l.key AS line, l.value AS lv
FROM records r, json_each(r.payload, '$.lines') l
WHERE r.kind = 'order';

-- One row per tax of a line. Version 4: [code, amount] takes its snapshot from the order's
-- "taxes" table, [code, amount, rate, included, account, per_unit, affects_base] carries its
-- own. Versions 2 and 3: the fields a tax gives, the rest from the table; version 1: all.
CREATE VIEW pss_order_line_taxes AS
SELECT order_id, session_id, line, position, code,
       CASE WHEN v4 THEN json_extract(tv, '$[1]') ELSE json_extract(tv, '$.amount') END
           AS amount,
       CASE WHEN own4 THEN json_extract(tv, '$[2]') WHEN v4 THEN json_extract(entry, '$[0]')
            ELSE coalesce(json_extract(tv, '$.rate_ppm'), json_extract(entry, '$.rate_ppm'))
       END AS rate_ppm,
       CASE WHEN own4 THEN json_extract(tv, '$[3]') WHEN v4 THEN json_extract(entry, '$[1]')
            ELSE coalesce(json_extract(tv, '$.included'), json_extract(entry, '$.included'))
       END AS included,
       CASE WHEN own4 THEN json_extract(tv, '$[4]') WHEN v4 THEN json_extract(entry, '$[2]')
            ELSE coalesce(json_extract(tv, '$.account'), json_extract(entry, '$.account'))
       END AS account,
       coalesce(CASE WHEN own4 THEN json_extract(tv, '$[5]')
                     WHEN v4 THEN json_extract(entry, '$[3]')
                     ELSE coalesce(json_extract(tv, '$.per_unit'),
                                   json_extract(entry, '$.per_unit')) END, 0) AS per_unit,
       coalesce(CASE WHEN own4 THEN json_extract(tv, '$[6]')
                     WHEN v4 THEN json_extract(entry, '$[4]')
                     ELSE coalesce(json_extract(tv, '$.affects_base'),
                                   json_extract(entry, '$.affects_base')) END, 0)
           AS affects_base
FROM (SELECT t.*, t.v4 AND json_array_length(t.tv) > 2 AS own4,
             (SELECT e.value FROM json_each(t.payload, '$.taxes') e WHERE e.key = t.code)
                 AS entry
      FROM (SELECT lr.order_id, lr.session_id, lr.payload, lr.v4, lr.line,
                   x.key AS position, x.value AS tv,
                   CASE WHEN lr.v4 THEN json_extract(x.value, '$[0]')
                        ELSE json_extract(x.value, '$.code') END AS code
            FROM pss_order_line_rows lr,
                 json_each(lr.lv, CASE WHEN lr.v4 THEN '$[3]' ELSE '$.taxes' END) x) t);

-- One row per line. Version 4: [product, qty, price, taxes, amount, name, account,
-- discount_ppm, order_discount, refund_line, category], trailing fields left out and null
-- for a field at its default: amount quantity x price / 1000 (exact), name the product,
-- account the order's "income". Its untaxed is its amount less its included taxes, its tax
-- the sum of its taxes, its total the sum of both.
CREATE VIEW pss_order_lines AS
SELECT order_id, session_id, line, product, name, qty, price, discount_ppm, order_discount,
       refund_line, category, income_account, amount, untaxed, tax, untaxed + tax AS total
FROM (SELECT order_id, session_id, line, product, name, qty, price, discount_ppm,
             order_discount, refund_line, category, income_account, amount,
             CASE WHEN v4 THEN amount - included ELSE json_extract(lv, '$.untaxed') END
                 AS untaxed,
             CASE WHEN v4 THEN tax4 ELSE json_extract(lv, '$.tax') END AS tax
      FROM (SELECT lr.*,
                   CASE WHEN v4 THEN json_extract(lv, '$[0]')
                        ELSE json_extract(lv, '$.product') END AS product,
                   CASE WHEN v4 THEN coalesce(json_extract(lv, '$[5]'), json_extract(lv, '$[0]'))
                        ELSE json_extract(lv, '$.name') END AS name,
                   CASE WHEN v4 THEN json_extract(lv, '$[1]')
                        ELSE json_extract(lv, '$.qty') END AS qty,
                   CASE WHEN v4 THEN json_extract(lv, '$[2]')
                        ELSE json_extract(lv, '$.price') END AS price,
                   coalesce(CASE WHEN v4 THEN json_extract(lv, '$[7]')
                                 ELSE json_extract(lv, '$.discount_ppm') END, 0) AS discount_ppm,
                   coalesce(CASE WHEN v4 THEN json_extract(lv, '$[8]')
                                 ELSE json_extract(lv, '$.order_discount') END, 0)
                       AS order_discount,
                   CASE WHEN v4 THEN json_extract(lv, '$[9]')
                        ELSE json_extract(lv, '$.refund_line') END AS refund_line,
                   CASE WHEN v4 THEN json_extract(lv, '$[10]')
                        ELSE json_extract(lv, '$.category') END AS category,
                   CASE WHEN v4 THEN coalesce(json_extract(lv, '$[6]'),
                                              json_extract(payload, '$.income'))
                        ELSE json_extract(lv, '$.income_account') END AS income_account,
                   CASE WHEN v4 THEN coalesce(json_extract(lv, '$[4]'),
                                              json_extract(lv, '$[1]') * json_extract(lv, '$[2]')
                                                  / 1000)
                        ELSE json_extract(lv, '$.amount') END AS amount,
                   (SELECT coalesce(sum(json_extract(x.value, '$[1]')), 0)
                    FROM json_each(lv, '$[3]') x) AS tax4,
                   (SELECT coalesce(sum(json_extract(x.value, '$[1]')), 0)
                    FROM json_each(lv, '$[3]') x
                    WHERE CASE WHEN json_array_length(x.value) > 2
                               THEN json_extract(x.value, '$[3]')
                               ELSE (SELECT json_extract(e.value, '$[1]')
                                     FROM json_each(payload, '$.taxes') e
                                     WHERE e.key = json_extract(x.value, '$[0]')) END)
                       AS included
            FROM pss_order_line_rows lr));

-- One row per payment. Version 4: [method, cash, amount, state, at, change, rounding,
-- reference, reason]: state 'done', at the order's paid_at, change and rounding 0 when left
-- out or null.
CREATE VIEW pss_order_payments AS
SELECT r.id AS order_id, r.parent AS session_id, p.key AS payment,
       CASE WHEN v4 THEN json_extract(p.value, '$[0]')
            ELSE json_extract(p.value, '$.method') END AS method,
       CASE WHEN v4 THEN json_extract(p.value, '$[1]')
            ELSE json_extract(p.value, '$.cash') END AS cash,
       CASE WHEN v4 THEN json_extract(p.value, '$[2]')
            ELSE json_extract(p.value, '$.amount') END AS amount,
       CASE WHEN v4 THEN coalesce(json_extract(p.value, '$[3]'), 'done')
            ELSE json_extract(p.value, '$.state') END AS state,
       CASE WHEN v4 THEN coalesce(json_extract(p.value, '$[4]'),
                                  json_extract(r.payload, '$.paid_at'),
                                  json_extract(r.payload, '$.at'))
            ELSE json_extract(p.value, '$.at') END AS at,
       coalesce(CASE WHEN v4 THEN json_extract(p.value, '$[5]')
                     ELSE json_extract(p.value, '$.change') END, 0) AS change,
       coalesce(CASE WHEN v4 THEN json_extract(p.value, '$[6]')
                     ELSE json_extract(p.value, '$.rounding') END, 0) AS rounding,
       CASE WHEN v4 THEN json_extract(p.value, '$[7]')
            ELSE json_extract(p.value, '$.reference') END AS reference,
       CASE WHEN v4 THEN json_extract(p.value, '$[8]')
            ELSE json_extract(p.value, '$.reason') END AS reason
FROM (SELECT r.*, json_extract(r.payload, '$.v') >= 4 AS v4 FROM records r
      WHERE r.kind = 'order') r,
     json_each(r.payload, '$.payments') p;

-- One row per order. Version 4 names its head "no", "at", "by", "hash" and leaves out a
-- paid state and a paid_at equal to its creation time; its untaxed and tax are its lines'
-- sums, its total their sum (version 1 to 3 records hold them in "totals").
CREATE VIEW pss_orders AS
SELECT id, session_id, version, number, state, invoiced, refund_of, note, customer,
       return_reason, discount_amount, discount_ppm, created_at, created_by, paid_at,
       input_hash, untaxed, tax, untaxed + tax AS total, rounding
FROM (SELECT r.id, r.parent AS session_id, json_extract(r.payload, '$.v') AS version,
             json_extract(r.payload, CASE WHEN v4 THEN '$.no' ELSE '$.number' END) AS number,
             CASE WHEN v4 THEN coalesce(json_extract(r.payload, '$.state'), 'paid')
                  ELSE json_extract(r.payload, '$.state') END AS state,
             coalesce(json_extract(r.payload, '$.invoiced'), 0) AS invoiced,
             json_extract(r.payload, '$.refund_of') AS refund_of,
             json_extract(r.payload, '$.note') AS note,
             json_extract(r.payload, '$.customer') AS customer,
             json_extract(r.payload, '$.return_reason') AS return_reason,
             coalesce(json_extract(r.payload, '$.discount.amount'), 0) AS discount_amount,
             coalesce(json_extract(r.payload, '$.discount.ppm'), 0) AS discount_ppm,
             json_extract(r.payload, CASE WHEN v4 THEN '$.at' ELSE '$.created_at' END)
                 AS created_at,
             json_extract(r.payload, CASE WHEN v4 THEN '$.by' ELSE '$.created_by' END)
                 AS created_by,
             CASE WHEN v4 THEN coalesce(json_extract(r.payload, '$.paid_at'),
                                        json_extract(r.payload, '$.at'))
                  ELSE json_extract(r.payload, '$.paid_at') END AS paid_at,
             json_extract(r.payload, CASE WHEN v4 THEN '$.hash' ELSE '$.input_hash' END)
                 AS input_hash,
             CASE WHEN v4 THEN (SELECT coalesce(sum(l.untaxed), 0) FROM pss_order_lines l
                                WHERE l.order_id = r.id)
                  ELSE json_extract(r.payload, '$.totals.untaxed') END AS untaxed,
             CASE WHEN v4 THEN (SELECT coalesce(sum(l.tax), 0) FROM pss_order_lines l
                                WHERE l.order_id = r.id)
                  ELSE json_extract(r.payload, '$.totals.tax') END AS tax,
             coalesce(json_extract(r.payload,
                                   CASE WHEN v4 THEN '$.rounding' ELSE '$.totals.rounding' END),
                      0) AS rounding
      FROM (SELECT r.*, json_extract(r.payload, '$.v') >= 4 AS v4 FROM records r
            WHERE r.kind = 'order') r);
