-- postgres-views.sql: the views of sqlite-views.sql for PostgreSQL, over a table of records
-- with the payload in a jsonb column:
--
--   CREATE TABLE records (kind text NOT NULL, id text NOT NULL, parent text NOT NULL,
--                         rev bigint NOT NULL, payload jsonb NOT NULL, PRIMARY KEY (kind, id));
--
-- (a store of the host's that keeps the library's records so; rename the table to suit).
-- One row per order, order line, line tax and payment, for records of every version (1 to 4),
-- with what version 4 leaves out added back up (doc/storage.md, "order"): nothing is rounded
-- here. Figures are bigint, flags boolean, positions count from 0 as the API does. Checked
-- by hand on PostgreSQL 15: the records of the file tests/storage/sqlite-views.c writes,
-- copied in (sqlite3 -csv, then \copy), give every column of the four views the same rows as
-- sqlite-views.sql gives on the file (that test checks those against the library).

DROP VIEW IF EXISTS pss_orders;
DROP VIEW IF EXISTS pss_order_payments;
DROP VIEW IF EXISTS pss_order_lines;
DROP VIEW IF EXISTS pss_order_line_taxes;
DROP VIEW IF EXISTS pss_order_line_rows;

-- One row per stored line, raw: the helper the other views read.
CREATE VIEW pss_order_line_rows AS
SELECT r.id AS order_id, r.parent AS session_id, r.payload AS payload,
       (r.payload->>'v')::int >= 4 AS v4, (l.n - 1)::int AS line, l.v AS lv
FROM records r, jsonb_array_elements(r.payload->'lines') WITH ORDINALITY AS l(v, n)
WHERE r.kind = 'order';

-- One row per tax of a line: version 4's [code, amount] takes its snapshot from the table,
-- [code, amount, rate, included, account, per_unit, affects_base] carries its own.
CREATE VIEW pss_order_line_taxes AS
SELECT order_id, session_id, line, position, code,
       (CASE WHEN v4 THEN tv->>1 ELSE tv->>'amount' END)::bigint AS amount,
       (CASE WHEN own4 THEN tv->>2 WHEN v4 THEN entry->>0
             ELSE coalesce(tv->>'rate_ppm', entry->>'rate_ppm') END)::bigint AS rate_ppm,
       (CASE WHEN own4 THEN tv->>3 WHEN v4 THEN entry->>1
             ELSE coalesce(tv->>'included', entry->>'included') END)::boolean AS included,
       CASE WHEN own4 THEN tv->>4 WHEN v4 THEN entry->>2
            ELSE coalesce(tv->>'account', entry->>'account') END AS account,
       coalesce(CASE WHEN own4 THEN tv->>5 WHEN v4 THEN entry->>3
                     ELSE coalesce(tv->>'per_unit', entry->>'per_unit') END, '0')::bigint
           AS per_unit,
       coalesce(CASE WHEN own4 THEN tv->>6 WHEN v4 THEN entry->>4
                     ELSE coalesce(tv->>'affects_base', entry->>'affects_base') END,
                'false')::boolean AS affects_base
FROM (SELECT t.*, t.v4 AND jsonb_array_length(t.tv) > 2 AS own4,
             t.payload->'taxes'->t.code AS entry
      FROM (SELECT lr.order_id, lr.session_id, lr.payload, lr.v4, lr.line,
                   (x.n - 1)::int AS position, x.v AS tv,
                   CASE WHEN lr.v4 THEN x.v->>0 ELSE x.v->>'code' END AS code
            FROM pss_order_line_rows lr,
                 jsonb_array_elements(CASE WHEN lr.v4 THEN lr.lv->3 ELSE lr.lv->'taxes' END)
                     WITH ORDINALITY AS x(v, n)) t) t;

-- One row per line: version 4's [product, qty, price, taxes, amount, name, account,
-- discount_ppm, order_discount, refund_line, category]; untaxed is the amount less the
-- included taxes, tax their sum, total the sum of both.
CREATE VIEW pss_order_lines AS
SELECT order_id, session_id, line, product, name, qty, price, discount_ppm, order_discount,
       refund_line, category, income_account, amount, untaxed, tax, untaxed + tax AS total
FROM (SELECT order_id, session_id, line, product, name, qty, price, discount_ppm,
             order_discount, refund_line, category, income_account, amount,
             CASE WHEN v4 THEN amount - included ELSE (lv->>'untaxed')::bigint END AS untaxed,
             CASE WHEN v4 THEN tax4 ELSE (lv->>'tax')::bigint END AS tax
      FROM (SELECT lr.*,
                   CASE WHEN v4 THEN lv->>0 ELSE lv->>'product' END AS product,
                   CASE WHEN v4 THEN coalesce(lv->>5, lv->>0) ELSE lv->>'name' END AS name,
                   (CASE WHEN v4 THEN lv->>1 ELSE lv->>'qty' END)::bigint AS qty,
                   (CASE WHEN v4 THEN lv->>2 ELSE lv->>'price' END)::bigint AS price,
                   coalesce(CASE WHEN v4 THEN lv->>7 ELSE lv->>'discount_ppm' END, '0')::bigint
                       AS discount_ppm,
                   coalesce(CASE WHEN v4 THEN lv->>8 ELSE lv->>'order_discount' END,
                            '0')::bigint AS order_discount,
                   (CASE WHEN v4 THEN lv->>9 ELSE lv->>'refund_line' END)::bigint AS refund_line,
                   CASE WHEN v4 THEN lv->>10 ELSE lv->>'category' END AS category,
                   CASE WHEN v4 THEN coalesce(lv->>6, payload->>'income')
                        ELSE lv->>'income_account' END AS income_account,
                   CASE WHEN v4 THEN coalesce((lv->>4)::bigint,
                                              (lv->>1)::bigint * (lv->>2)::bigint / 1000)
                        ELSE (lv->>'amount')::bigint END AS amount,
                   (SELECT coalesce(sum((x->>1)::bigint), 0)::bigint
                    FROM jsonb_array_elements(CASE WHEN v4 THEN lv->3 ELSE '[]' END) x) AS tax4,
                   (SELECT coalesce(sum((x->>1)::bigint), 0)::bigint
                    FROM jsonb_array_elements(CASE WHEN v4 THEN lv->3 ELSE '[]' END) x
                    WHERE (CASE WHEN jsonb_array_length(x) > 2 THEN x->>3
                                ELSE payload->'taxes'->(x->>0)->>1 END)::boolean) AS included
            FROM pss_order_line_rows lr) l) l;

-- One row per payment: version 4's [method, cash, amount, state, at, change, rounding,
-- reference, reason].
CREATE VIEW pss_order_payments AS
SELECT r.id AS order_id, r.parent AS session_id, (p.n - 1)::int AS payment,
       CASE WHEN v4 THEN p.v->>0 ELSE p.v->>'method' END AS method,
       (CASE WHEN v4 THEN p.v->>1 ELSE p.v->>'cash' END)::boolean AS cash,
       (CASE WHEN v4 THEN p.v->>2 ELSE p.v->>'amount' END)::bigint AS amount,
       CASE WHEN v4 THEN coalesce(p.v->>3, 'done') ELSE p.v->>'state' END AS state,
       (CASE WHEN v4 THEN coalesce(p.v->>4, r.payload->>'paid_at', r.payload->>'at')
             ELSE p.v->>'at' END)::bigint AS at,
       coalesce(CASE WHEN v4 THEN p.v->>5 ELSE p.v->>'change' END, '0')::bigint AS change,
       coalesce(CASE WHEN v4 THEN p.v->>6 ELSE p.v->>'rounding' END, '0')::bigint AS rounding,
       CASE WHEN v4 THEN p.v->>7 ELSE p.v->>'reference' END AS reference,
       CASE WHEN v4 THEN p.v->>8 ELSE p.v->>'reason' END AS reason
FROM (SELECT r.*, (r.payload->>'v')::int >= 4 AS v4 FROM records r WHERE r.kind = 'order') r,
     jsonb_array_elements(r.payload->'payments') WITH ORDINALITY AS p(v, n);

-- One row per order: version 4's head "no", "at", "by", "hash", a paid state and a paid_at
-- equal to "at" left out; its untaxed and tax are its lines' sums.
CREATE VIEW pss_orders AS
SELECT id, session_id, version, number, state, invoiced, refund_of, note, customer,
       return_reason, discount_amount, discount_ppm, created_at, created_by, paid_at,
       input_hash, untaxed, tax, untaxed + tax AS total, rounding
FROM (SELECT r.id, r.parent AS session_id, (r.payload->>'v')::int AS version,
             (CASE WHEN v4 THEN r.payload->>'no' ELSE r.payload->>'number' END)::bigint
                 AS number,
             CASE WHEN v4 THEN coalesce(r.payload->>'state', 'paid')
                  ELSE r.payload->>'state' END AS state,
             coalesce((r.payload->>'invoiced')::boolean, false) AS invoiced,
             r.payload->>'refund_of' AS refund_of, r.payload->>'note' AS note,
             r.payload->>'customer' AS customer, r.payload->>'return_reason' AS return_reason,
             coalesce((r.payload->'discount'->>'amount')::bigint, 0) AS discount_amount,
             coalesce((r.payload->'discount'->>'ppm')::bigint, 0) AS discount_ppm,
             (CASE WHEN v4 THEN r.payload->>'at' ELSE r.payload->>'created_at' END)::bigint
                 AS created_at,
             CASE WHEN v4 THEN r.payload->>'by' ELSE r.payload->>'created_by' END AS created_by,
             (CASE WHEN v4 THEN coalesce(r.payload->>'paid_at', r.payload->>'at')
                   ELSE r.payload->>'paid_at' END)::bigint AS paid_at,
             CASE WHEN v4 THEN r.payload->>'hash' ELSE r.payload->>'input_hash' END AS input_hash,
             CASE WHEN v4 THEN (SELECT coalesce(sum(l.untaxed), 0)::bigint FROM pss_order_lines l
                                WHERE l.order_id = r.id)
                  ELSE (r.payload->'totals'->>'untaxed')::bigint END AS untaxed,
             CASE WHEN v4 THEN (SELECT coalesce(sum(l.tax), 0)::bigint FROM pss_order_lines l
                                WHERE l.order_id = r.id)
                  ELSE (r.payload->'totals'->>'tax')::bigint END AS tax,
             coalesce((CASE WHEN v4 THEN r.payload->>'rounding'
                            ELSE r.payload->'totals'->>'rounding' END)::bigint, 0) AS rounding
      FROM (SELECT r.*, (r.payload->>'v')::int >= 4 AS v4 FROM records r
            WHERE r.kind = 'order') r) o;
