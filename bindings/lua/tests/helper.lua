-- helper.lua: what the Lua tests share: a tiny TAP runner, a deterministic clock, the usual
-- actors and register config, a store written in Lua (the protocol of doc/lua.md, with
-- snapshot transactions), a wrapper that makes any Lua store raise on its Nth call, and a
-- canonical dump of a Lua store so that tests can prove a failed call changed nothing.
local p = require "possession"

local H = {}

---------------------------------------------------------------------------------------------
-- TAP

local count, failed = 0, 0

local function describe(v)
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

function H.test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  count = count + 1
  if ok then
    print(("ok %d - %s"):format(count, name))
  else
    failed = failed + 1
    print(("not ok %d - %s"):format(count, name))
    for line in tostring(err):gmatch("[^\n]+") do print("# " .. line) end
  end
end

-- Ends the run. The state is closed (os.exit's second argument) so that every handle still
-- alive is finalized: valgrind then sees the binding's frees too.
function H.done()
  print(("1..%d"):format(count))
  os.exit(failed == 0, true)
end

function H.eq(got, want, what)
  if got ~= want then
    error(("%s: got %s, want %s"):format(what or "value", describe(got), describe(want)), 2)
  end
end

function H.ok(cond, what)
  if not cond then error(what or "assertion failed", 2) end
  return cond
end

-- Asserts the Lua failure convention: nil, message, code (and returns message, figures).
function H.fails(code, what, ...)
  local n = select("#", ...)
  local v, msg, got, figures = ...
  if v ~= nil or got ~= code then
    error(("%s: expected nil, message, %d; got %s, %s, %s (%d values)"):format(
      what, code, describe(v), describe(msg), describe(got), n), 2)
  end
  if type(msg) ~= "string" or msg == "" then error(what .. ": no message", 2) end
  return msg, figures
end

-- Asserts that fn raises an error whose message contains pattern (plain text).
function H.raises(pattern, fn, what)
  local ok, err = pcall(fn)
  if ok then error((what or "call") .. ": did not raise", 2) end
  if not tostring(err):find(pattern, 1, true) then
    error(("%s: raised %s, expected it to mention %q"):format(what or "call", describe(err),
      pattern), 2)
  end
  return err
end

---------------------------------------------------------------------------------------------
-- Fixture

H.T0 = 1795248000000 -- 2026-11-21 08:00:00 UTC
H.now = H.T0
function H.clock() return H.now end
function H.advance(ms) H.now = H.now + ms end

H.CONFIG_ID = "0c0f1a00-0000-4000-8000-000000000001"
H.DATE = "2026-11-21"

H.alice = { user = "alice", role = "cashier", device = "till-1" }
H.bob = { user = "bob", role = "cashier", device = "till-2" }
H.mia = { user = "mia", role = "manager", device = "office" }
H.ada = { user = "ada", role = "admin", device = "office" }

-- Cash, Card (electronic), Voucher; VAT10 included, VAT20 excluded; books category; coins
-- and notes from 0.01 to 50.00; a cashier may close 10.00 off.
function H.config_table(overrides)
  local t = {
    id = H.CONFIG_ID, name = "Main register", code = "POS-0001", currency = "EUR",
    currency_exponent = 2, cash_control = true, max_difference = 1000,
    income_account = "Income:Sales", receivable_account = "Assets:POS Receivable",
    difference_gain_account = "Income:Cash Over",
    difference_loss_account = "Expenses:Cash Short",
    cash_in_account = "Assets:Safe", cash_out_account = "Assets:Bank Transit",
    expense_account = "Expenses:Petty",
    methods = {
      { name = "Cash", kind = "cash", account = "Assets:Cash" },
      { name = "Card", kind = "card", account = "Assets:Card", electronic = true },
      { name = "Voucher", kind = "other", account = "Liabilities:Vouchers" },
    },
    taxes = {
      { code = "VAT10", name = "VAT 10%", rate_ppm = 100000, included = true,
        account = "Liabilities:VAT10" },
      { code = "VAT20", name = "VAT 20%", rate_ppm = 200000, included = false,
        account = "Liabilities:VAT20" },
    },
    categories = { books = "Income:Books" },
    denominations = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000 },
  }
  for k, v in pairs(overrides or {}) do t[k] = v end
  return t
end

function H.context(store, opts)
  opts = opts or {}
  opts.clock = opts.clock or H.clock
  return assert(p.context(store, opts))
end

function H.save_config(ctx, overrides)
  local cfg = assert(ctx:new_config(H.config_table(overrides)))
  assert(cfg:save(H.mia))
  return cfg
end

-- A saved config and an IN_PROGRESS session held by alice, opened with `opening` counted.
function H.open_session(ctx, opening)
  H.save_config(ctx)
  local s = assert(ctx:create_session(H.CONFIG_ID, H.alice, { operating_date = H.DATE }))
  assert(s:open(H.alice, { counted_cash = opening or 0 }))
  return s
end

local order_seq = 0
function H.order_id()
  order_seq = order_seq + 1
  return ("00000000-0000-4000-8000-%012d"):format(order_seq)
end

function H.line(product, qty, price, taxes)
  return { product_id = product, product_name = product, quantity = qty, unit_price = price,
           taxes = taxes }
end

---------------------------------------------------------------------------------------------
-- A store written in Lua. Records are kept as the tables put() was given (with rev added);
-- a transaction saves shallow copies of the maps, and rollback puts them back.

function H.lua_store_table()
  local S = {
    records = {},   -- kind .. "\0" .. id -> record
    created = {},   -- keys in creation order
    claims = {},    -- key -> owner
    audit = {},     -- { seq=, subject=, payload= } in order
    next_seq = 1,
    calls = {},     -- name -> count, for tests
  }

  local function copy(t)
    local c = {}
    for k, v in pairs(t) do c[k] = v end
    return c
  end

  local function count(self, name) self.calls[name] = (self.calls[name] or 0) + 1 end

  function S:begin(write)
    count(self, "begin")
    assert(not self.saved, "a transaction is already open")
    self.saved = { records = copy(self.records), created = copy(self.created),
                   claims = copy(self.claims), n_audit = #self.audit,
                   next_seq = self.next_seq }
    self.writing = write
  end

  function S:commit()
    count(self, "commit")
    self.saved = nil
  end

  function S:rollback()
    count(self, "rollback")
    local s = assert(self.saved, "no transaction to roll back")
    self.records, self.created, self.claims = s.records, s.created, s.claims
    for i = #self.audit, s.n_audit + 1, -1 do self.audit[i] = nil end
    self.next_seq = s.next_seq
    self.saved = nil
  end

  function S:get(kind, id)
    count(self, "get")
    return self.records[kind .. "\0" .. id]
  end

  function S:put(record, expected_rev)
    count(self, "put")
    local key = record.kind .. "\0" .. record.id
    local old = self.records[key]
    if (old and old.rev or 0) ~= expected_rev then return nil, p.E.CONFLICT end
    record.rev = expected_rev + 1
    if not old then self.created[#self.created + 1] = key end
    self.records[key] = record
    return record.rev
  end

  function S:scan(kind, parent)
    count(self, "scan")
    local out = {}
    for _, key in ipairs(self.created) do
      local r = self.records[key]
      if r.kind == kind and r.parent == parent then out[#out + 1] = r end
    end
    return out
  end

  function S:claim(key, owner)
    count(self, "claim")
    local holder = self.claims[key]
    if holder and holder ~= owner then return nil, p.E.EXISTS, holder end
    self.claims[key] = owner
  end

  function S:release(key, owner)
    count(self, "release")
    local holder = self.claims[key]
    if not holder then return nil, p.E.NOTFOUND end
    if holder ~= owner then return nil, p.E.CONFLICT end
    self.claims[key] = nil
  end

  function S:lookup(key)
    count(self, "lookup")
    return self.claims[key]
  end

  function S:append(subject, payload)
    count(self, "append")
    local seq = self.next_seq
    self.next_seq = seq + 1
    self.audit[#self.audit + 1] = { seq = seq, subject = subject, payload = payload }
    return seq
  end

  function S:audit_scan(subject, after_seq)
    count(self, "audit_scan")
    local out = {}
    for _, e in ipairs(self.audit) do
      if e.seq > after_seq and (subject == nil or e.subject == subject) then
        out[#out + 1] = e
      end
    end
    return out
  end

  return S
end

-- The whole content of a Lua store table as stable text; without_audit leaves the audit
-- trail out (a refused close is audited: that is its only trace).
function H.dump(S, without_audit)
  local lines = {}
  local keys = {}
  for key in pairs(S.records) do keys[#keys + 1] = key end
  table.sort(keys)
  for _, key in ipairs(keys) do
    local r = S.records[key]
    lines[#lines + 1] = table.concat({ "R", r.kind, r.id, r.parent, r.rev, r.payload }, "\t")
  end
  keys = {}
  for key in pairs(S.claims) do keys[#keys + 1] = key end
  table.sort(keys)
  for _, key in ipairs(keys) do lines[#lines + 1] = "C\t" .. key .. "\t" .. S.claims[key] end
  if without_audit then return table.concat(lines, "\n") end
  for _, e in ipairs(S.audit) do
    lines[#lines + 1] = table.concat({ "A", e.seq, e.subject, e.payload }, "\t")
  end
  lines[#lines + 1] = "next_seq\t" .. S.next_seq
  return table.concat(lines, "\n")
end

-- Asserts two dumps are equal, naming the first line that differs.
function H.same(got, want, what)
  if got == want then return end
  local g, w = {}, {}
  for l in (got .. "\n"):gmatch("(.-)\n") do g[#g + 1] = l end
  for l in (want .. "\n"):gmatch("(.-)\n") do w[#w + 1] = l end
  for i = 1, math.max(#g, #w) do
    if g[i] ~= w[i] then
      error(("%s: line %d differs:\n got  %s\n want %s"):format(what, i, tostring(g[i]),
        tostring(w[i])), 2)
    end
  end
end

-- Wraps a store table: while armed, the Nth call (rollback excepted, as a real store's
-- rollback must not fail) raises "injected fault". Returns the wrapper and its control.
function H.faulty(inner)
  local ctl = { calls = 0, fail_at = nil, hit = nil }
  local W = {}
  for _, name in ipairs({ "begin", "commit", "rollback", "get", "put", "scan", "claim",
                          "release", "lookup", "append", "audit_scan" }) do
    W[name] = function(_, ...)
      if name ~= "rollback" and ctl.fail_at then
        ctl.calls = ctl.calls + 1
        if ctl.calls == ctl.fail_at then
          ctl.hit = name
          error(("injected fault at call %d (%s)"):format(ctl.calls, name))
        end
      end
      return inner[name](inner, ...)
    end
  end
  function ctl.arm(n) ctl.calls, ctl.fail_at, ctl.hit = 0, n, nil end
  function ctl.disarm() ctl.fail_at = nil end
  return W, ctl
end

H.p = p
return H
