-- lifetime.lua: handles are released by release(), by <close> and by the collector, in any
-- order, exactly once: a store or context released while others still depend on it lives
-- until they go; a released handle raises a clear error when used. Run under valgrind too
-- (lua-lifetime-valgrind), where any leak or bad free fails the test.
local H = require "helper"
local p = H.p
local E = p.E

local function released(h)
  return tostring(h):find("(released)", 1, true) ~= nil
end

-- Every kind of handle, made from one store.
local function graph(store_kind)
  local S = store_kind == "lua" and H.lua_store_table() or nil
  local g = {}
  g.store = S and p.lua_store(S) or p.memory_store()
  g.ctx = H.context(g.store, { observer = function() end })
  g.config = H.save_config(g.ctx)
  g.old = assert(g.ctx:create_session(H.CONFIG_ID, H.alice))
  assert(g.old:open(H.alice, { counted_cash = 0 }))
  assert(g.old:start_closing(H.alice))
  assert(g.old:count(H.alice, { cash_total = 0 }))
  assert(g.old:close(H.alice))
  g.entry = assert(g.old:entry())
  g.session = assert(g.ctx:create_session(H.CONFIG_ID, H.alice))
  assert(g.session:open(H.alice, { counted_cash = 0 }))
  g.order = assert(g.session:create_order(H.alice, { lines = { H.line("tea", 1000, 200) } }))
  assert(g.session:cash_move(H.alice, { kind = "in", amount = 100, reason = "float" }))
  g.cashlist = assert(g.session:cash_movements())
  g.report = assert(g.session:report())
  g.audit = assert(g.ctx:audit())
  return g
end

local names = { "store", "ctx", "config", "old", "entry", "session", "order", "cashlist",
                "report", "audit" }

H.test("<close> releases handles at the end of the block", function()
  local kept
  do
    local store <close> = p.memory_store()
    local ctx <close> = H.context(store)
    local s <close> = H.open_session(ctx, 0)
    local r <close> = s:report()
    local o <close> = assert(s:create_order(H.alice, { lines = { H.line("tea", 1000, 200) } }))
    kept = { store, ctx, s, r, o }
    H.ok(not released(s), "alive inside the block")
  end
  for i, h in ipairs(kept) do H.ok(released(h), "released: " .. i .. " " .. tostring(h)) end
  collectgarbage()
  collectgarbage()
end)

H.test("releasing twice is fine; using a released handle raises", function()
  local g = graph("memory")
  g.order:release()
  g.order:release()
  H.raises("attempt to use a released possession.order", function() g.order:state() end)
  g.report:release()
  H.raises("attempt to use a released possession.report", function() g.report:get("orders") end)
  g.audit:release()
  H.raises("attempt to use a released possession.audit", function() return #g.audit end)
  H.raises("attempt to use a released possession.audit", function() return g.audit[1] end)
  g.ctx:release()
  g.ctx:release()
  H.raises("attempt to use a released possession.context", function()
    g.ctx:load_session(H.CONFIG_ID)
  end)
  H.raises("attempt to use a possession.session whose context is released", function()
    g.session:state()
  end)
  H.raises("attempt to use a possession.entry whose context is released", function()
    g.entry:ledger()
  end)
  g.store:release()
  H.raises("attempt to use a released possession.store", function() p.context(g.store) end)
  for _, name in ipairs(names) do g[name]:release() end
  for _, name in ipairs(names) do H.ok(released(g[name]), name) end
  collectgarbage()
end)

H.test("a store released while a context uses it lives until the context goes", function()
  local store = p.memory_store()
  local ctx = H.context(store)
  store:release()
  H.ok(released(store), "store marked released")
  local s = H.open_session(ctx, 0) -- the context still works on it
  assert(s:submit(H.alice, { id = H.order_id(), lines = { H.line("tea", 1000, 200) },
                             payments = { { method = "Cash", amount = 200 } } }))
  H.eq(s:expected_cash(), 200, "working")
  ctx:release() -- the session still holds the context: nothing is freed yet
  s = nil
  collectgarbage()
  collectgarbage()
end)

-- A small deterministic generator, so that the orders are the same on every run.
local seed = 12345
local function random(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n + 1
end

for _, kind in ipairs({ "memory", "lua" }) do
  H.test("dropping every handle in random orders, " .. kind .. " store", function()
    for _ = 1, 12 do
      local g = graph(kind)
      local order = {}
      for i, name in ipairs(names) do order[i] = name end
      for i = #order, 2, -1 do
        local j = random(i)
        order[i], order[j] = order[j], order[i]
      end
      for i, name in ipairs(order) do
        if i % 3 == 0 then g[name]:release() end -- some released, some only dropped
        g[name] = nil
        collectgarbage()
      end
    end
  end)

  H.test("dropping everything at once, " .. kind .. " store", function()
    for _ = 1, 5 do graph(kind) end
    collectgarbage()
    collectgarbage()
  end)
end

H.test("stores, contexts and hooks referring to each other are collected", function()
  local weak = setmetatable({}, { __mode = "k" })
  do
    local S = H.lua_store_table()
    local store = p.lua_store(S)
    local ctx
    S.owner = store -- the store table refers to its own handle
    ctx = H.context(store, { observer = function() return ctx end,
                             log = function() return ctx end })
    H.open_session(ctx, 0)
    weak[S], weak[store], weak[ctx] = true, true, true
  end
  collectgarbage()
  collectgarbage()
  collectgarbage()
  H.eq(next(weak), nil, "all collected")
end)

H.test("an error inside a block with <close> still releases", function()
  local kept
  local ok = pcall(function()
    local store <close> = p.memory_store()
    local ctx <close> = H.context(store)
    kept = { store, ctx }
    error("the till crashed")
  end)
  H.eq(ok, false, "raised")
  H.ok(released(kept[1]) and released(kept[2]), "released")
end)

-- Left alive on purpose: closing the Lua state at exit finalizes them in its own order.
local survivors = graph("lua")
assert(survivors.session:state() == "in_progress")
assert(E.LIMIT == -13)

H.done()
