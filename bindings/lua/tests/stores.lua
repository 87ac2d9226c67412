-- stores.lua: the shipped stores from Lua: the in-memory store (with its dump) and, when
-- libpossession-sqlite was built, the SQLite store: a session survives closing every handle
-- and is resumed from the file by a new context; a bad file is a clear failure.
local H = require "helper"
local p = H.p
local E = p.E

H.test("the in-memory store and its dump", function()
  local store = p.memory_store()
  H.eq(store:kind(), "memory", "kind")
  H.ok(tostring(store):find("possession.store: memory", 1, true), tostring(store))
  local empty = store:dump()
  local ctx = H.context(store)
  H.save_config(ctx)
  local full = store:dump()
  H.ok(#full > #empty, "the config is in the dump")
  H.ok(full:find(H.CONFIG_ID, 1, true), "config id")
  H.raises("only an in-memory store can be dumped", function()
    p.lua_store(H.lua_store_table()):dump()
  end)
end)

if not p.has_sqlite then
  H.test("SQLite store not built", function() H.eq(p.sqlite_store, nil, "absent") end)
  H.done()
end

local dir = os.getenv("POSSESSION_TEST_TMP") or "."
local path = dir .. "/lua-stores.sqlite"
os.remove(path)
os.remove(path .. "-wal")
os.remove(path .. "-shm")

local session_id
H.test("a session on SQLite survives closing every handle", function()
  do
    local store <close> = assert(p.sqlite_store(path, { sync = "normal", busy_timeout_ms = 200 }))
    H.eq(store:kind(), "sqlite", "kind")
    local ctx <close> = H.context(store)
    local s <close> = H.open_session(ctx, 5000)
    session_id = s:id()
    assert(s:submit(H.alice, { id = H.order_id(), lines = { H.line("tea", 3000, 200) },
                               payments = { { method = "Cash", amount = 1000 } } }))
  end
  collectgarbage()
  local store <close> = assert(p.sqlite_store(path))
  local ctx <close> = H.context(store)
  local s <close> = assert(ctx:find_open_session(H.CONFIG_ID))
  H.eq(s:id(), session_id, "resumed")
  H.eq(s:expected_cash(), 5600, "nothing lost")
  assert(s:start_closing(H.alice))
  assert(s:count(H.alice, { cash_total = 5600 }))
  assert(s:close(H.alice))
  assert(s:verify())
  H.ok(ctx:ledger(H.CONFIG_ID):find("POS-0001/00001", 1, true), "ledger")
end)

H.test("two contexts on the file: one session, one clear error", function()
  local a = H.context(assert(p.sqlite_store(path)))
  local b = H.context(assert(p.sqlite_store(path)))
  local s = assert(a:create_session(H.CONFIG_ID, H.alice))
  local msg = H.fails(E.EXISTS, "second till", b:create_session(H.CONFIG_ID, H.bob))
  H.ok(msg:find(s:name(), 1, true), msg)
end)

H.test("a file that is not a store, a directory that does not exist", function()
  local junk = dir .. "/lua-junk.sqlite"
  local f = assert(io.open(junk, "wb"))
  f:write(("not a database\n"):rep(100))
  f:close()
  local msg = H.fails(E.CORRUPT, "junk", p.sqlite_store(junk))
  H.ok(msg:find("lua-junk.sqlite", 1, true), msg)
  os.remove(junk)
  msg = H.fails(E.STORAGE, "no dir", p.sqlite_store(dir .. "/no/such/dir/x.sqlite"))
  H.ok(msg:find("no/such/dir", 1, true), msg)
  H.raises("field 'sync' must be one of 'full', 'normal', got 'fast'", function()
    p.sqlite_store(path, { sync = "fast" })
  end)
  H.fails(E.INVAL, "negative timeout", p.sqlite_store(path, { busy_timeout_ms = -1 }))
  msg = H.fails(E.INVAL, "odd page size", p.sqlite_store(path, { page_size = 1000 }))
  H.ok(msg:find("page size 1000 is not a power of two", 1, true), msg)
end)

H.done()
