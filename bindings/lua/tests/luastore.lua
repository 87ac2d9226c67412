-- luastore.lua: a store written in Lua carries a whole session; two contexts share it; what
-- a store method raises or returns wrongly comes back as nil, message, code and never
-- unwinds through the library; stores built as objects with metatables work; and the store
-- follows the running coroutine.
local H = require "helper"
local p = H.p
local E = p.E

H.test("a whole session on a Lua store", function()
  local S = H.lua_store_table()
  local store = p.lua_store(S)
  H.eq(store:kind(), "lua", "kind")
  local ctx = H.context(store)
  local s = H.open_session(ctx, 1000)
  assert(s:submit(H.alice, { id = H.order_id(), lines = { H.line("tea", 3000, 200) },
                             payments = { { method = "Cash", amount = 1000 } } }))
  assert(s:cash_move(H.alice, { kind = "expense", amount = 150, reason = "stamps" }))
  assert(s:start_closing(H.alice))
  assert(s:count(H.alice, { cash_total = 1450 }))
  assert(s:close(H.alice))
  H.eq(s:report():get("difference"), 0, "difference")
  local kinds = {}
  for _, r in pairs(S.records) do kinds[r.kind] = (kinds[r.kind] or 0) + 1 end
  H.ok(kinds.config and kinds.session and kinds.order, "records of every kind")
  for key, owner in pairs(S.claims) do
    H.ok(not key:find("open/", 1, true), "open slot still claimed: " .. key .. " " .. owner)
  end
  H.ok(#S.audit >= 6, "audit trail written")
  H.ok(S.calls.begin == S.calls.commit + (S.calls.rollback or 0), "every transaction ended")
  H.eq(S.saved, nil, "no transaction left open")
  -- Another context reads it all back from the same table.
  local other = H.context(p.lua_store(S))
  local again = assert(other:load_session(s:id()))
  H.eq(again:state(), "closed", "state")
  H.eq(assert(again:entry()):total(), assert(s:entry()):total(), "entry")
end)

H.test("two contexts on one Lua store: one session, one clear error", function()
  local S = H.lua_store_table()
  local store = p.lua_store(S)
  local a, b = H.context(store), H.context(store)
  H.save_config(a)
  local s = assert(a:create_session(H.CONFIG_ID, H.alice))
  local msg = H.fails(E.EXISTS, "second till", b:create_session(H.CONFIG_ID, H.bob))
  H.ok(msg:find(s:name(), 1, true), msg)
end)

H.test("a method that raises: STORAGE with the Lua message, nothing kept", function()
  local S = H.lua_store_table()
  local ctx = H.context(p.lua_store(S))
  local s = H.open_session(ctx, 0)
  local before = H.dump(S)
  local put = S.put
  S.put = function() error("disk on fire") end
  local msg = H.fails(E.STORAGE, "submit", s:submit(H.alice, {
    id = H.order_id(), lines = { H.line("tea", 1000, 200) },
    payments = { { method = "Cash", amount = 200 } } }))
  H.ok(msg:find("disk on fire", 1, true), msg)
  H.ok(msg:find("Lua store 'put' raised", 1, true), msg)
  H.same(H.dump(S), before, "rolled back")
  S.put = function() error({ code = 1 }) end
  msg = H.fails(E.STORAGE, "table error", s:cash_move(H.alice,
    { kind = "in", amount = 100, reason = "float" }))
  H.ok(msg:find("error object is a table value", 1, true), msg)
  S.put = put
  assert(s:cash_move(H.alice, { kind = "in", amount = 100, reason = "float" }))
  H.eq(s:expected_cash(), 100, "the handle went on")
end)

H.test("protocol codes: BUSY from begin, CONFLICT from put, ENOTFOUND from get", function()
  local S = H.lua_store_table()
  local ctx = H.context(p.lua_store(S))
  local s = H.open_session(ctx, 0)
  local begin = S.begin
  S.begin = function() return nil, E.BUSY, "locked by the back office" end
  local msg = H.fails(E.BUSY, "busy", s:heartbeat(H.alice))
  H.ok(msg:find("locked by the back office", 1, true), msg)
  S.begin = begin
  local put = S.put
  S.put = function() return nil, E.CONFLICT end
  H.fails(E.CONFLICT, "conflict", s:heartbeat(H.alice))
  S.put = put
  assert(s:heartbeat(H.alice))
  H.fails(E.NOTFOUND, "not found", ctx:load_entry(p.id.generate()))
end)

H.test("malformed results are storage failures naming the method", function()
  local S = H.lua_store_table()
  local ctx = H.context(p.lua_store(S))
  local s = H.open_session(ctx, 0)
  local before = H.dump(S)
  local put, get = S.put, S.get
  S.put = function() return "seven" end
  local msg = H.fails(E.STORAGE, "put", s:heartbeat(H.alice))
  H.ok(msg:find("'put' returned string, expected an integer", 1, true), msg)
  S.put = function() return 1 end
  H.fails(E.CORRUPT, "wrong revision", s:heartbeat(H.alice))
  S.put = put
  S.get = function() return 42 end
  msg = H.fails(E.STORAGE, "get", ctx:load_config(H.CONFIG_ID))
  H.ok(msg:find("returned number where a record table was expected", 1, true), msg)
  S.get = function(self, kind, id) return { kind = kind, id = id, rev = 1 } end
  msg = H.fails(E.STORAGE, "get", ctx:load_config(H.CONFIG_ID))
  H.ok(msg:find("'payload' is nil", 1, true), msg)
  S.get = function() return nil, 7 end
  msg = H.fails(E.STORAGE, "positive code", ctx:load_config(H.CONFIG_ID))
  H.ok(msg:find("expected a negative possession.E code", 1, true), msg)
  S.get = get
  H.same(H.dump(S), before, "nothing changed")
  assert(s:heartbeat(H.alice))
end)

H.test("a store table must have every method", function()
  local S = H.lua_store_table()
  S.audit_scan = nil
  H.raises("the store table has no 'audit_scan' function", function() p.lua_store(S) end)
  H.raises("bad argument #1 to 'lua_store' (table expected, got string)", function()
    p.lua_store("store")
  end)
end)

H.test("a store object whose methods come from its metatable", function()
  local class = H.lua_store_table()
  class.__index = class
  local instance = setmetatable({ records = {}, created = {}, claims = {}, audit = {},
                                  next_seq = 1, calls = {} }, class)
  local ctx = H.context(p.lua_store(instance))
  local s = H.open_session(ctx, 0)
  H.eq(s:state(), "in_progress", "state")
  H.ok(next(instance.records) ~= nil, "records in the instance")
end)

H.test("begin says whether the transaction writes", function()
  local S = H.lua_store_table()
  local flags = {}
  local begin = S.begin
  S.begin = function(self, write)
    flags[#flags + 1] = write
    return begin(self, write)
  end
  local ctx = H.context(p.lua_store(S))
  H.save_config(ctx)
  H.eq(flags[#flags], true, "save writes")
  assert(ctx:load_config(H.CONFIG_ID))
  H.eq(flags[#flags], false, "load reads")
end)

H.test("the store follows the running coroutine", function()
  local S = H.lua_store_table()
  local ctx = H.context(p.lua_store(S))
  local s = H.open_session(ctx, 0)
  local seen = {}
  local get = S.get
  S.get = function(self, ...)
    seen[#seen + 1] = coroutine.running()
    return get(self, ...)
  end
  local co_thread
  local co = coroutine.wrap(function()
    co_thread = coroutine.running()
    for i = 1, 3 do
      assert(s:submit(H.alice, { id = H.order_id(), lines = { H.line("tea", 1000, 200) },
                                 payments = { { method = "Cash", amount = 200 } } }))
      coroutine.yield(i)
    end
  end)
  co()
  H.eq(seen[#seen], co_thread, "called from the coroutine")
  assert(ctx:load_config(H.CONFIG_ID)) -- the main thread in between
  H.eq(seen[#seen], coroutine.running(), "called from the main thread")
  co()
  co()
  H.eq(s:expected_cash(), 600, "three sales")
end)

H.done()
