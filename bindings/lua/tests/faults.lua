-- faults.lua: atomicity through the Lua binding. A small day runs on a Lua store wrapped so
-- that its Nth call raises; every step is tried with the fault at each of its calls in turn
-- (N = 1, 2, ... until the step completes without reaching it). Each faulted attempt must
-- return nil, message, E.STORAGE with the Lua error in the message and leave the store's
-- records, claims and audit trail exactly as they were; then the same handles go on.
local H = require "helper"
local p = H.p
local E = p.E

local S = H.lua_store_table()
local W, ctl = H.faulty(S)
local ctx = H.context(p.lua_store(W))
local state = {}

local steps = {
  { "save the config", function()
      local cfg = assert(ctx:new_config(H.config_table()))
      return cfg:save(H.mia)
    end },
  { "create a session", function()
      local s, msg, code = ctx:create_session(H.CONFIG_ID, H.alice,
        { operating_date = H.DATE })
      state.s = s or state.s
      return s, msg, code
    end },
  { "open it", function() return state.s:open(H.alice, { counted_cash = 5000 }) end },
  { "submit a cash sale", function()
      return state.s:submit(H.alice, {
        id = "00000000-0000-4000-8000-00000000f001",
        lines = { H.line("coffee", 2000, 250, { "VAT10" }) },
        payments = { { method = "Cash", amount = 1000 } } })
    end },
  { "create a card order", function()
      local o, msg, code = state.s:create_order(H.alice,
        { lines = { H.line("novel", 1000, 1500, { "VAT10" }) } })
      state.o = o or state.o
      return o, msg, code
    end },
  { "add a card payment", function()
      return state.o:add_payment(H.alice, { method = "Card", amount = 1500 })
    end },
  { "confirm it", function() return state.o:confirm_payment(H.alice, 1) end },
  { "take cash out", function()
      return state.s:cash_move(H.alice, { kind = "out", amount = 2000, reason = "safe" })
    end },
  { "start closing", function() return state.s:start_closing(H.alice) end },
  { "count", function() return state.s:count(H.alice, { cash_total = 3490 }) end },
  { "close", function() return state.s:close(H.alice) end },
  { "read the entry", function() return state.s:entry() end },
  { "read the audit trail", function() return ctx:audit(state.s:id()) end },
  { "export the ledger", function() return ctx:ledger(H.CONFIG_ID) end },
}

local total_faults = 0
for _, step in ipairs(steps) do
  local name, run = step[1], step[2]
  H.test(name .. ", with a fault at each of its calls", function()
    local n = 1
    while true do
      local before = H.dump(S)
      ctl.arm(n)
      local result, msg, code = run()
      local hit = ctl.hit
      ctl.disarm()
      if not hit then
        H.ok(result ~= nil, ("%s completed without the fault but failed: %s"):format(name,
          tostring(msg)))
        break
      end
      total_faults = total_faults + 1
      local what = ("%s, fault at call %d (%s)"):format(name, n, hit)
      H.eq(result, nil, what .. ": result")
      H.eq(code, E.STORAGE, what .. ": code")
      H.ok(type(msg) == "string" and msg:find("injected fault at call " .. n, 1, true),
        what .. ": message names the Lua error: " .. tostring(msg))
      H.same(H.dump(S), before, what .. ": store unchanged")
      n = n + 1
    end
    H.ok(n > 1, name .. " calls the store")
  end)
end

H.test("the day came out as without faults", function()
  local s = state.s
  H.eq(s:state(), "closed", "closed")
  local r = s:report()
  H.eq(r:get("expected_cash"), 3500, "expected cash")
  H.eq(r:get("difference"), -10, "difference")
  H.eq(r:get("orders"), 2, "orders")
  local entry = s:entry()
  local debit, credit = 0, 0
  for _, l in ipairs(entry:lines()) do debit, credit = debit + l.debit, credit + l.credit end
  H.eq(debit, credit, "balanced")
  local attempts = 0
  for _, rec in ipairs(ctx:audit(s:id())) do
    if rec.action == "session.close" then attempts = attempts + 1 end
  end
  H.eq(attempts, 1, "one close in the audit trail: faulted attempts left nothing")
  H.ok(total_faults > 30, "faults injected: " .. total_faults)
  local other = H.context(p.lua_store(S))
  assert(assert(other:load_session(s:id())):verify())
end)

H.done()
