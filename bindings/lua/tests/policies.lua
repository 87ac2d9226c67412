-- policies.lua: issue 16 through the Lua binding. The drawer pays out no more cash than it
-- holds unless the config has allow_negative_drawer (E.DRAWER with the figures holds and
-- amount, nothing changed); the config's late_orders policy sends an order submitted to a
-- session being counted or closed to the open session or a rescue session, or refuses it;
-- both options travel in the config's JSON (doc/lua.md, doc/close-flow.md "Late orders").
local H = require "helper"
local p = H.p
local E = p.E

-- A Lua store (so that a refusal can be shown to change nothing) with the register saved
-- under these overrides, and alice's session opened with `opening` counted.
local function setup(overrides, opening)
  local S = H.lua_store_table()
  local ctx = H.context(p.lua_store(S))
  H.save_config(ctx, overrides)
  local s = assert(ctx:create_session(H.CONFIG_ID, H.alice, { operating_date = H.DATE }))
  assert(s:open(H.alice, { counted_cash = opening or 0 }))
  return ctx, s, S
end

local function refused(S, code, what, ...)
  local before = H.dump(S)
  local msg, figures = H.fails(code, what, ...)
  H.same(H.dump(S), before, what .. ": store unchanged")
  return msg, figures
end

local function cash(s, kind, amount)
  return s:cash_move(H.alice, { kind = kind, amount = amount, reason = "to the bank" })
end

-- 12.50 of tea paid by voucher (the drawer stays as it is).
local function tea(id)
  return { id = id, lines = { H.line("tea", 1000, 1250) },
           payments = { { method = "Voucher", amount = 1250 } } }
end

local function close_empty(s)
  assert(s:start_closing(H.alice))
  assert(s:count(H.alice, { cash_total = 0 }))
  assert(s:close(H.alice))
end

---------------------------------------------------------------------------------------------
-- The drawer

H.test("DRAWER: a cash out of 50.00 from a drawer holding 45.00", function()
  local _, s, S = setup(nil, 4500)
  H.eq(s:expected_cash(), 4500, "holds")
  local msg, fig = refused(S, E.DRAWER, "cash out", cash(s, "out", 5000))
  H.eq(msg, "the drawer holds 45.00, cash out 50.00: session POS-0001/00001 cannot pay out "
         .. "more cash than it holds (config 'Main register' does not allow a negative drawer)",
    "message")
  H.eq(fig.holds, 4500, "holds")
  H.eq(fig.amount, 5000, "amount")
  H.eq(E.DRAWER, -24, "code")
  H.eq(p.strerror(E.DRAWER), "the drawer does not hold that much cash", "strerror")
  -- an expense a cent beyond, then one that empties it; cash in is no payout
  msg, fig = refused(S, E.DRAWER, "expense", cash(s, "expense", 4501))
  H.ok(msg:find("the drawer holds 45.00, expense 45.01: ", 1, true), msg)
  H.eq(fig.amount, 4501, "expense amount")
  assert(cash(s, "expense", 4500))
  H.eq(s:expected_cash(), 0, "emptied")
  refused(S, E.DRAWER, "a cent", cash(s, "out", 1))
  assert(cash(s, "in", 1000))
  assert(cash(s, "out", 1000))
  H.eq(s:expected_cash(), 0, "in and out")
end)

H.test("DRAWER: a refund in cash beyond the drawer, alone and in a batch", function()
  local _, s, S = setup(nil, 0)
  local sale = H.order_id()
  assert(s:submit(H.alice, { id = sale, lines = { H.line("kettle", 1000, 2000) },
                             payments = { { method = "Cash", amount = 2000 } } }))
  assert(cash(s, "out", 1500))
  H.eq(s:expected_cash(), 500, "holds")
  local refund = { id = H.order_id(), refund_of = sale,
                   lines = { { refund_line = 1, quantity = -1000 } },
                   payments = { { method = "Cash", amount = -2000 } } }
  local msg, fig = refused(S, E.DRAWER, "refund", s:submit(H.alice, refund))
  H.eq(msg, "the drawer holds 5.00, cash refund 20.00: session POS-0001/00001 cannot pay out "
         .. "more cash than it holds (config 'Main register' does not allow a negative drawer)",
    "message")
  H.eq(fig.holds, 500, "holds")
  H.eq(fig.amount, 2000, "amount")
  local more = { id = H.order_id(), lines = { H.line("kettle", 1000, 2000) },
                 payments = { { method = "Cash", amount = 2000 } } }
  local results, accepted = assert(s:submit_batch(H.alice, { refund, more }))
  H.eq(accepted, 1, "accepted")
  H.eq(results[1].status, E.DRAWER, "refund refused on its own")
  H.eq(results[2].status, 0, "sale recorded")
  H.eq(s:expected_cash(), 2500, "holds now")
  assert(s:submit(H.alice, refund))
  H.eq(s:expected_cash(), 500, "refunded")
end)

H.test("allow_negative_drawer: the same cash out goes and the session closes", function()
  local _, s = setup({ allow_negative_drawer = true }, 4500)
  assert(cash(s, "out", 5000))
  H.eq(s:expected_cash(), -500, "negative")
  close_empty(s) -- a difference of +5.00, within the 10.00 the cashier may close with
  local r = s:report()
  H.eq(r:get("cash_out"), 5000, "cash out")
  H.eq(r:get("expected_cash"), -500, "expected")
  H.eq(r:get("difference"), 500, "difference")
  H.eq(s:state(), "closed", "closed")
end)

---------------------------------------------------------------------------------------------
-- Late orders

H.test("route (the default): a late order while counted goes to a rescue session", function()
  local ctx, s = setup(nil, 0)
  assert(s:start_closing(H.alice))
  local id = H.order_id()
  local r = assert(s:submit(H.bob, tea(id))) -- any cashier (a sync service) once counted
  H.eq(r.routed, true, "routed")
  H.eq(r.rescue, true, "rescue")
  H.eq(r.duplicate, false, "new")
  H.eq(r.state, "paid", "paid")
  H.ok(r.session_id ~= s:id(), "another session")
  local rescue = assert(ctx:load_session(r.session_id))
  H.eq(rescue:name(), "POS-0001/RESCUE-00001", "rescue name")
  H.eq(select(2, rescue:balance()), 1250, "rescue posted")
  assert(s:refresh())
  H.eq(s:state(), "closing_control", "still counted")
  H.eq(select(2, s:balance()), 0, "counted session untouched")
  local again = assert(s:submit(H.bob, tea(id)))
  H.eq(again.duplicate, true, "retry")
  H.eq(again.session_id, r.session_id, "answered where it went")
end)

H.test("a late cash refund is recorded whatever the rescue session's drawer holds", function()
  local ctx, s = setup(nil, 0)
  local sale = H.order_id()
  assert(s:submit(H.alice, { id = sale, lines = { H.line("tea", 2000, 1250) },
                             payments = { { method = "Voucher", amount = 2500 } } }))
  assert(s:start_closing(H.alice))
  local r = assert(s:submit(H.bob, { id = H.order_id(), refund_of = sale,
                                     lines = { { refund_line = 1, quantity = -1000 } },
                                     payments = { { method = "Cash", amount = -1250 } } }))
  H.eq(r.rescue, true, "rescue")
  H.eq(r.state, "paid", "recorded")
  local rescue = assert(ctx:load_session(r.session_id))
  H.eq(rescue:expected_cash(), -1250, "the rescue session expects -12.50")
end)

H.test("route sends it to the session that trades, rescue keeps it apart", function()
  for _, case in ipairs({ { "route", false }, { "rescue", true } }) do
    local policy, to_rescue = case[1], case[2]
    local ctx, first = setup({ late_orders = policy }, 0)
    close_empty(first)
    local trading = assert(ctx:create_session(H.CONFIG_ID, H.alice))
    assert(trading:open(H.alice, { counted_cash = 0 }))
    local r = assert(first:submit(H.alice, tea(H.order_id())))
    H.eq(r.routed, true, policy .. ": routed")
    H.eq(r.rescue, to_rescue, policy .. ": rescue")
    H.eq(r.session_id == trading:id(), not to_rescue, policy .. ": to the trading session")
    assert(trading:refresh())
    H.eq(select(2, trading:balance()), to_rescue and 0 or 1250, policy .. ": trading posted")
  end
end)

H.test("refuse: STATE while counted, CLOSED once closed", function()
  local ctx, s, S = setup({ late_orders = "refuse" }, 0)
  assert(s:start_closing(H.alice))
  local msg = refused(S, E.STATE, "counted", s:submit(H.bob, tea(H.order_id())))
  H.eq(msg, "session POS-0001/00001 is being counted and config 'Main register' refuses late "
         .. "orders (late_orders: refuse); record the order in a session that trades", "message")
  -- a batch of new orders only, recorded nowhere, is refused whole
  refused(S, E.STATE, "batch", s:submit_batch(H.bob, { tea(H.order_id()), tea(H.order_id()) }))
  assert(s:count(H.alice, { cash_total = 0 }))
  assert(s:close(H.alice))
  msg = refused(S, E.CLOSED, "closed", s:submit(H.bob, tea(H.order_id())))
  H.ok(msg:find("session POS-0001/00001 is closed and config 'Main register' refuses late "
    .. "orders (late_orders: refuse)", 1, true), msg)
  H.eq(#ctx:list_sessions(H.CONFIG_ID), 1, "no rescue session")
end)

---------------------------------------------------------------------------------------------
-- The config

H.test("the options are in the config's JSON and survive it", function()
  local ctx = H.context(p.memory_store())
  local cfg = assert(ctx:new_config(H.config_table({ late_orders = "refuse",
                                                     allow_negative_drawer = true })))
  local json = cfg:to_json()
  H.ok(json:find('^{"v":2,'), json)
  H.ok(json:find('"late_orders":"refuse","allow_negative_drawer":true', 1, true), json)
  H.eq(assert(ctx:config_from_json(json)):to_json(), json, "round trip")
  local plain = assert(ctx:new_config(H.config_table())):to_json()
  H.ok(plain:find('"late_orders":"route","allow_negative_drawer":false', 1, true), plain)
  -- a version 1 record reads as route and no negative drawer
  local v1 = json:gsub('^{"v":2,', '{"v":1,')
      :gsub(',"late_orders":"refuse","allow_negative_drawer":true', "")
  H.eq(assert(ctx:config_from_json(v1)):to_json(), plain, "version 1")
  -- the policy read from JSON is the one applied
  local S = H.lua_store_table()
  local c2 = H.context(p.lua_store(S))
  assert(assert(c2:config_from_json(json)):save(H.mia))
  local s = assert(c2:create_session(H.CONFIG_ID, H.alice))
  assert(s:open(H.alice, { counted_cash = 0 }))
  assert(cash(s, "out", 100)) -- allow_negative_drawer came along
  assert(s:start_closing(H.alice))
  refused(S, E.STATE, "refuse came along", s:submit(H.bob, tea(H.order_id())))
end)

H.test("bad values raise, naming the ones allowed", function()
  local ctx = H.context(p.memory_store())
  H.raises("config: field 'late_orders' must be one of 'route', 'rescue', 'refuse', got "
    .. "'sometimes'", function()
      ctx:new_config(H.config_table({ late_orders = "sometimes" }))
    end)
  H.raises("field 'late_orders' must be a string", function()
    ctx:new_config(H.config_table({ late_orders = 1 }))
  end)
  H.raises("field 'allow_negative_drawer' must be a boolean", function()
    ctx:new_config(H.config_table({ allow_negative_drawer = 1 }))
  end)
end)

H.done()
