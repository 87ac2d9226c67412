-- pg.lua: the PostgreSQL store from Lua: two tills' contexts on one database (one open
-- session, the other till sees and closes it), store:wait() woken by a commit that appended
-- and false at its timeout, failures as nil, message, code without the password. Needs
-- PSS_PG_CONNINFO (run through tests/support/pg-server.sh); skipped without the store.
local H = require "helper"
local p = H.p
local E = p.E

local server = os.getenv("PSS_PG_CONNINFO")
if not p.has_pg or not server then
  H.test("PostgreSQL store not built or no server", function()
    H.ok(not p.has_pg or not server, "skipped")
  end)
  H.done()
end

-- A fresh database of this test's own (psql: the binding has no SQL of its own).
local function fresh_database(name)
  for _, sql in ipairs { "DROP DATABASE IF EXISTS " .. name .. " WITH (FORCE)",
                         "CREATE DATABASE " .. name } do
    local ok = os.execute(("psql -X -q -v ON_ERROR_STOP=1 %q -c %q -c %q"):format(
      server, "SET client_min_messages = warning", sql))
    assert(ok, sql)
  end
  return server .. " dbname=" .. name
end

local conninfo = fresh_database("pss_lua")

H.test("two tills on one database", function()
  local a <close> = assert(p.pg_store(conninfo, { lock_timeout_ms = 2000 }))
  local b <close> = assert(p.pg_store(conninfo))
  H.eq(a:kind(), "pg", "kind")
  local ca <close> = H.context(a)
  local cb <close> = H.context(b)
  local s <close> = H.open_session(ca, 5000)
  assert(s:submit(H.alice, { id = H.order_id(), lines = { H.line("tea", 3000, 200) },
                             payments = { { method = "Cash", amount = 1000 } } }))
  local msg = H.fails(E.EXISTS, "second till", cb:create_session(H.CONFIG_ID, H.bob))
  H.ok(msg:find(s:name(), 1, true), msg)
  local seen <close> = assert(cb:find_open_session(H.CONFIG_ID))
  H.eq(seen:id(), s:id(), "the other till's session")
  H.eq(seen:expected_cash(), 5600, "its cash")
  assert(seen:start_closing(H.alice))
  assert(seen:count(H.alice, { cash_total = 5600 }))
  assert(seen:close(H.alice))
  assert(seen:verify())
end)

H.test("wait: woken by a commit that appended, false at the timeout", function()
  local follower <close> = assert(p.pg_store(conninfo))
  local till <close> = assert(p.pg_store(conninfo))
  H.eq(follower:wait(1000), true, "starts listening")
  H.eq(follower:wait(50), false, "nothing committed")
  local ctx <close> = H.context(till)
  H.save_config(ctx, { id = "0c0f1a00-0000-4000-8000-0000000000e2", code = "POS-E2" })
  H.eq(follower:wait(2000), true, "the config.save entry")
  H.eq(follower:wait(50), false, "once")
  H.raises("only a PostgreSQL store can wait", function() p.memory_store():wait(1) end)
end)

H.test("failures: nil, message, code; no password", function()
  local msg = H.fails(E.STORAGE, "no database",
                      p.pg_store(server .. " password=secret dbname=no_such_database"))
  H.ok(msg:find("no_such_database", 1, true), msg)
  H.ok(not msg:find("secret", 1, true), msg)
  H.fails(E.INVAL, "negative timeout", p.pg_store(conninfo, { lock_timeout_ms = -1 }))
  H.raises("unknown field", function() p.pg_store(conninfo, { lock_timeout = 1 }) end)
end)

H.done()
