-- hooks.lua: the context's Lua hooks. The clock drives the library's time; the logger and
-- observer see what happens. A hook that raises cannot unwind through the library: the
-- call completes (a committed change stays committed) and then the error is raised.
local H = require "helper"
local p = H.p

H.test("the clock hook is the library's time", function()
  local now = H.T0
  local ctx = assert(p.context(p.memory_store(), { clock = function() return now end }))
  H.eq(ctx:now(), H.T0, "now")
  now = now + 1500
  H.eq(ctx:now(), H.T0 + 1500, "moved")
  H.save_config(ctx)
  local s = assert(ctx:create_session(H.CONFIG_ID, H.alice))
  H.eq(s:operating_date(), "2026-11-21", "the clock's date")
  H.eq(s:lease_expires(), now + 900 * 1000, "lease from the clock")
end)

H.test("a clock that raises or returns a float", function()
  local bad = "boom"
  local ctx = assert(p.context(p.memory_store(), { clock = function()
    if bad == "boom" then error("clock broke") end
    return 1.5
  end }))
  H.raises("the clock hook raised: ", function() ctx:now() end)
  bad = "float"
  H.raises("returned number, expected milliseconds", function() ctx:now() end)
end)

H.test("log hook at the chosen level", function()
  local seen = {}
  local ctx = H.context(p.memory_store(), {
    log = function(level, msg) seen[#seen + 1] = level .. " " .. msg end,
    log_level = "debug",
  })
  H.save_config(ctx)
  local debug = false
  for _, l in ipairs(seen) do debug = debug or l:find("^debug ") ~= nil end
  H.ok(debug, "debug messages: " .. table.concat(seen, " | "))
end)

H.test("an observer that raises: the change is committed, then the error raised", function()
  local ctx = H.context(p.memory_store())
  local s = H.open_session(ctx, 0)
  ctx:set_observer(function(ev)
    if ev.type == "order_paid" then error("projection failed") end
  end)
  local id = H.order_id()
  H.raises("the observer hook raised: ", function()
    s:submit(H.alice, { id = id, lines = { H.line("tea", 1000, 200) },
                        payments = { { method = "Cash", amount = 200 } } })
  end)
  H.eq(assert(s:load_order(id)):state(), "paid", "committed")
  assert(ctx:set_observer(nil))
  assert(s:heartbeat(H.alice))
  local events = {}
  ctx:set_observer(function(ev) events[#events + 1] = ev end)
  assert(s:cash_move(H.alice, { kind = "in", amount = 100, reason = "float" }))
  H.eq(events[1].type, "cash_moved", "event type")
  H.eq(events[1].session_id, s:id(), "event session")
  H.eq(events[1].config_id, H.CONFIG_ID, "event config")
end)

H.test("hooks and stores may read handles but not call back into their context", function()
  local ctx = H.context(p.memory_store())
  local s = H.open_session(ctx, 0)
  local function move() -- an event for the observer
    return s:cash_move(H.alice, { kind = "in", amount = 100, reason = "float" })
  end
  local state_seen
  ctx:set_observer(function() state_seen = s:state() end)
  assert(move())
  ctx:set_observer(function() ctx:load_session(s:id()) end)
  H.raises("may not call back into it", function() move() end)
  ctx:set_observer(function() s:release() end)
  H.raises("cannot release a possession.session inside a call of its context", move)
  ctx:set_observer(function() ctx:release() end)
  H.raises("cannot release a possession.context inside one of its calls", move)
  ctx:set_observer(nil)
  H.eq(state_seen, "in_progress", "a getter from the observer")
  H.eq(s:state(), "in_progress", "all still usable")

  local S = H.lua_store_table()
  local lctx = H.context(p.lua_store(S))
  local ls = H.open_session(lctx, 0)
  local get = S.get
  S.get = function(self, ...)
    lctx:now()
    return get(self, ...)
  end
  local msg = H.fails(p.E.STORAGE, "store calling back", lctx:load_session(ls:id()))
  H.ok(msg:find("may not call back into it", 1, true), msg)
end)

H.test("context options are checked", function()
  local store = p.memory_store()
  H.raises("context options: unknown field 'clok'", function()
    p.context(store, { clok = H.clock })
  end)
  H.raises("field 'clock' must be a function, got number", function()
    p.context(store, { clock = 5 })
  end)
  H.raises("field 'log_level' must be one of 'error', 'warn', 'info', 'debug'", function()
    p.context(store, { log_level = "loud" })
  end)
  H.raises("bad argument #1 to 'context'", function() p.context({}) end)
end)

H.done()
