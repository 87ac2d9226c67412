-- flow.lua: one whole day through the Lua binding, with the figures asserted: open, sell in
-- cash and by card, refund, cash in and out, count short, the cashier's close refused with
-- the figures table, the manager's close, then the report, the journal entry and its
-- exports, the audit trail, the observer and the log hook.
local H = require "helper"
local p = H.p
local E = p.E

local events, logs = {}, {}
local store = p.memory_store()
local ctx = H.context(store, {
  observer = function(ev) events[#events + 1] = ev end,
  log = function(level, msg) logs[#logs + 1] = level .. ": " .. msg end,
  log_level = "warn",
})
local s = H.open_session(ctx, 0)
local vat10 = { "VAT10" }
local sale_a = H.order_id()

H.test("the session is open and held by alice", function()
  H.eq(s:state(), "in_progress", "state")
  H.eq(s:name(), "POS-0001/00001", "name")
  H.eq(s:user(), "alice", "user")
  H.eq(s:lease_device(), "till-1", "device")
  H.eq(s:operating_date(), H.DATE, "date")
  H.eq(s:config_id(), H.CONFIG_ID, "config")
  H.eq(s:is_rescue(), false, "rescue")
  local expected, counted = s:opening()
  H.eq(expected, 0, "expected opening")
  H.eq(counted, 0, "counted opening")
  H.ok(tostring(s):find("POS-0001/00001 (in_progress)", 1, true), tostring(s))
end)

H.test("a cash sale gives change", function()
  local r = assert(s:submit(H.alice, {
    id = sale_a,
    lines = { H.line("croissant", 2000, 150, vat10), H.line("coffee", 1000, 250, vat10) },
    payments = { { method = "Cash", amount = 2000 } },
  }))
  H.eq(r.state, "paid", "state")
  H.eq(r.duplicate, false, "duplicate")
  H.eq(r.order_id, sale_a, "order id")
  local o = assert(s:load_order(sale_a))
  local t = o:totals()
  H.eq(t.total, 550, "total")
  H.eq(t.tax, 50, "tax")
  H.eq(t.paid, 2000, "paid")
  H.eq(t.change, 1450, "change")
  H.eq(t.remaining, 0, "remaining")
  local lines = o:lines()
  H.eq(#lines, 2, "lines")
  H.eq(lines[1].product_id, "croissant", "line 1")
  H.eq(lines[1].total, 300, "line 1 total")
  H.eq(lines[1].taxes[1], "VAT10", "line 1 tax")
  H.eq(lines[1].income_account, "Income:Sales", "income account")
  H.eq(o:payments()[1].change, 1450, "payment change")
  H.eq(o:taxes()[1].amount, 50, "order tax")
  H.eq(o:number(), 1, "number")
  H.eq(o:state(), "paid", "order state")
  H.eq(s:expected_cash(), 550, "expected cash")
end)

H.test("submitting the same order again changes nothing", function()
  local r = assert(s:submit(H.alice, {
    id = sale_a,
    lines = { H.line("croissant", 2000, 150, vat10), H.line("coffee", 1000, 250, vat10) },
    payments = { { method = "Cash", amount = 2000 } },
  }))
  H.eq(r.duplicate, true, "duplicate")
  H.eq(s:expected_cash(), 550, "expected cash")
end)

H.test("a card sale stays pending until the terminal confirms", function()
  local o = assert(s:create_order(H.alice, {
    lines = { { product_id = "novel", product_name = "A novel", category = "books",
                unit_price = 2000, taxes = vat10 } },
  }))
  H.eq(o:state(), "draft", "state")
  H.eq(o:lines()[1].income_account, "Income:Books", "category account")
  H.eq(o:add_payment(H.alice, { method = "Card", amount = 2000, reference = "T-1" }), 1,
    "payment index")
  H.eq(o:payments()[1].state, "pending", "payment state")
  local drafts, pending = s:blockers()
  H.eq(drafts, 1, "drafts")
  H.eq(pending, 1, "pending")
  assert(o:confirm_payment(H.alice, 1))
  H.eq(o:state(), "paid", "paid")
  drafts, pending = s:blockers()
  H.eq(drafts + pending, 0, "nothing blocks")
end)

H.test("a draft built line by line, paid in cash", function()
  local o = assert(s:create_order(H.alice, { note = "table 4" }))
  H.eq(o:add_line(H.alice, H.line("coffee", 4000, 250, vat10)), 1, "line index")
  H.eq(o:add_line(H.alice, H.line("cake", 1000, 400, vat10)), 2, "line index")
  assert(o:remove_line(H.alice, 2))
  H.eq(#o:lines(), 1, "lines")
  assert(o:add_payment(H.alice, { method = "Cash", amount = 1000 }))
  H.eq(o:state(), "paid", "paid")
  local current, posted = s:balance()
  H.eq(current, 3550, "current balance")
  H.eq(posted, 3550, "posted balance")
end)

H.test("a refund pays one croissant back in cash", function()
  local r = assert(s:create_order(H.alice, {
    refund_of = sale_a,
    lines = { { refund_line = 1, quantity = -1000 } },
  }))
  H.eq(r:refund_of(), sale_a, "refund of")
  H.eq(r:lines()[1].refund_line, 1, "refund line")
  H.eq(r:totals().total, -150, "refund total")
  assert(r:add_payment(H.alice, { method = "Cash", amount = -150 }))
  H.eq(r:state(), "paid", "paid")
  H.eq(s:expected_cash(), 1400, "expected cash")
end)

local float_id
H.test("cash in and out, one voided", function()
  float_id = assert(s:cash_move(H.alice, { kind = "in", amount = 20000, reason = "float" }))
  assert(s:cash_move(H.alice, { kind = "out", amount = 500, reason = "to the safe" }))
  local wrong = assert(s:cash_move(H.alice, { kind = "expense", amount = 300, reason = "oops" }))
  assert(s:cash_void(H.alice, wrong, "entered twice"))
  H.eq(s:expected_cash(), 20900, "expected cash")
  local list = s:cash_movements()
  H.eq(#list, 3, "movements")
  H.eq(list[1].id, float_id, "first id")
  H.eq(list[1].kind, "in", "kind")
  H.eq(list[1].account, "Assets:Safe", "default account")
  H.eq(list[2].amount, 500, "out amount")
  H.eq(list[3].voided, true, "voided")
  H.eq(list[3].void_reason, "entered twice", "void reason")
  H.eq(list[4], nil, "past the end")
  local n = 0
  for _, m in ipairs(list) do n = n + 1; H.ok(m.user == "alice") end
  H.eq(n, 3, "ipairs")
  assert(s:verify())
end)

H.test("a short count: the cashier's close is refused with the figures", function()
  assert(s:start_closing(H.alice))
  assert(s:count(H.alice, {
    denominations = { [5000] = 3, [2000] = 2, [100] = 1 },
    methods = { Card = 2000 },
    note = "counted twice",
  }))
  local msg, fig = H.fails(E.LIMIT, "cashier close", s:close(H.alice))
  H.ok(msg:find("expected 209.00, counted 191.00, difference -18.00, allowed 10.00", 1, true),
    msg)
  H.eq(fig.expected, 20900, "expected")
  H.eq(fig.counted, 19100, "counted")
  H.eq(fig.difference, -1800, "difference")
  H.eq(fig.allowed, 1000, "allowed")
  H.eq(s:state(), "closing_control", "still closing")
end)

H.test("the manager closes", function()
  assert(s:close(H.mia, { note = "short by 18.00, checked" }))
  H.eq(s:state(), "closed", "closed")
  H.fails(E.CLOSED, "second close", s:close(H.mia))
end)

H.test("the report", function()
  local r = s:report()
  H.eq(r:get("expected_cash"), 20900, "expected")
  H.eq(r:get("counted_cash"), 19100, "counted")
  H.eq(r:get("difference"), -1800, "difference")
  H.eq(r:get("allowed"), 1000, "allowed")
  H.eq(r:get("cash_payments"), 2850, "cash payments")
  H.eq(r:get("change"), 1450, "change")
  H.eq(r:get("cash_in"), 20000, "cash in")
  H.eq(r:get("cash_out"), 500, "cash out")
  H.eq(r:get("expenses"), 0, "voided expense")
  H.eq(r:get("orders"), 3, "orders")
  H.eq(r:get("refunds"), 1, "refunds")
  H.eq(r:get("posted_total"), 3400, "posted")
  H.eq(r:get("closed_by"), "mia", "closed by")
  H.eq(r:get("state"), "closed", "state")
  H.eq(r:get("closing_note"), "short by 18.00, checked", "note")
  H.raises("no report figure or text named 'nope'", function() r:get("nope") end)
  local figures = r:figures()
  H.eq(figures.counted_cash, 19100, "figures table")
  H.eq(r:texts().session_name, "POS-0001/00001", "texts table")
  local methods = r:methods()
  H.eq(methods[1].name, "Cash", "cash method")
  H.eq(methods[1].counted, 19100, "cash counted")
  H.eq(methods[2].name, "Card", "card method")
  H.eq(methods[2].amount, 2000, "card amount")
  H.eq(methods[2].difference, 0, "card difference")
  H.eq(methods[3].counted, nil, "voucher not counted")
  local products = {}
  for _, pr in ipairs(r:products()) do products[pr.product_id] = pr end
  H.eq(products.croissant.sold, 2000, "croissants sold")
  H.eq(products.croissant.refunded, 1000, "croissants refunded")
  H.eq(products.coffee.net, 5000, "coffees")
  H.eq(r:taxes()[1].code, "VAT10", "tax")
  local text = r:text()
  H.ok(text:find("Session POS-0001/00001 (Main register), 2026-11-21, closed, EUR", 1, true),
    text)
  H.ok(text:find("Difference%s+%-18%.00"), text)
end)

H.test("the journal entry balances and exports", function()
  local e = s:entry()
  local debit, credit, by_account = 0, 0, {}
  for _, l in ipairs(e:lines()) do
    debit, credit = debit + l.debit, credit + l.credit
    by_account[l.account .. "/" .. l.kind] = l
  end
  H.eq(debit, credit, "balanced")
  H.eq(e:total(), debit, "total")
  H.eq(by_account["Assets:Card/payment"].debit, 2000, "card")
  H.eq(by_account["Expenses:Cash Short/closing_difference"].debit, 1800, "short")
  H.eq(by_account["Assets:Safe/cash_in"].credit, 20000, "float")
  H.eq(e:reference(), "POS-0001/00001", "reference")
  H.eq(e:date(), H.DATE, "date")
  H.eq(e:currency(), "EUR", "currency")
  H.eq(e:exponent(), 2, "exponent")
  H.eq(e:session_id(), s:id(), "session")
  local ledger = e:ledger()
  H.ok(ledger:find("2026-11-21 POS-0001/00001", 1, true), ledger)
  H.ok(ledger:find("Assets:Card  EUR 20.00", 1, true), ledger)
  H.ok(ledger:find("Expenses:Cash Short  EUR 18.00", 1, true), ledger)
  local csv = e:csv()
  H.ok(csv:find("^entry_id,date,reference,account,debit,credit"), csv)
  H.ok(not e:csv(false):find("entry_id,date", 1, true), "no header")
  H.eq(ctx:ledger(H.CONFIG_ID), ledger, "range ledger")
  H.eq(ctx:ledger(H.CONFIG_ID, "2026-11-22"), "", "range after")
  H.ok(ctx:csv(H.CONFIG_ID, nil, H.DATE):find(e:id(), 1, true), "range csv")
  local again = assert(ctx:load_entry(e:id()))
  H.eq(again:total(), e:total(), "loaded entry")
  local qty = {}
  for _, pr in ipairs(e:products()) do qty[pr.product_id] = pr.quantity end
  H.eq(qty.croissant, 1000, "croissants moved")
end)

H.test("the audit trail has every close attempt", function()
  local a = ctx:audit(s:id())
  local closes = {}
  for _, rec in ipairs(a) do
    if rec.action == "session.close" then closes[#closes + 1] = rec end
  end
  H.eq(#closes, 3, "close attempts (the one on a closed session too)")
  H.eq(closes[1].outcome, E.LIMIT, "refused")
  H.eq(closes[1].user, "alice", "who")
  H.eq(closes[1].role, "cashier", "role")
  H.eq(closes[1].difference, -1800, "difference")
  H.eq(closes[2].outcome, 0, "closed")
  H.eq(closes[2].user, "mia", "manager")
  H.ok(closes[2].json:find("{", 1, true), "json")
  H.eq(closes[3].outcome, E.CLOSED, "after the close")
  H.ok(#ctx:audit() >= #a, "whole trail")
end)

H.test("observer and log hooks saw it", function()
  local types = {}
  for _, ev in ipairs(events) do types[ev.type] = (types[ev.type] or 0) + 1 end
  H.eq(types.session_closed, 1, "closed event")
  H.eq(types.order_paid, 4, "paid events")
  H.ok(types.cash_moved >= 3, "cash events")
  local refused = false
  for _, l in ipairs(logs) do refused = refused or l:find("difference %-18%.00") ~= nil end
  H.ok(refused, "the refused close was logged: " .. table.concat(logs, " | "))
end)

H.test("the next session starts from the counted cash", function()
  H.eq(#ctx:list_sessions(H.CONFIG_ID), 1, "sessions")
  H.eq(ctx:list_sessions(H.CONFIG_ID, { "closed" })[1], s:id(), "closed list")
  H.eq(#ctx:list_sessions(H.CONFIG_ID, { "in_progress" }), 0, "none open")
  H.fails(E.NOTFOUND, "no open session", ctx:find_open_session(H.CONFIG_ID))
  local s2 = assert(ctx:create_session(H.CONFIG_ID, H.bob))
  H.eq(s2:name(), "POS-0001/00002", "name")
  H.eq((s2:opening()), 19100, "expected opening")
  H.eq(select(2, s2:opening()), nil, "not counted yet")
  assert(s2:start_opening(H.bob))
  H.eq(s2:state(), "opening_control", "opening control")
  assert(s2:open(H.bob, { counted_cash = 19100, note = "all there" }))
  H.eq(assert(ctx:find_open_session(H.CONFIG_ID)):id(), s2:id(), "found open")
  assert(s2:take_over(H.mia))
  H.eq(s2:user(), "mia", "taken over")
  assert(s2:heartbeat(H.mia))
  assert(s2:refresh())
end)

H.test("a batch from a till that was offline, and the rest of the order calls", function()
  local s2 = assert(ctx:find_open_session(H.CONFIG_ID))
  local results, accepted = assert(s2:submit_batch(H.mia, {
    { id = H.order_id(), lines = { H.line("tea", 1000, 200) },
      payments = { { method = "Cash", amount = 200 } } },
    { id = H.order_id(), lines = { H.line("tea", 1000, 200) },
      payments = { { method = "Bitcoin", amount = 200 } } },
    { id = H.order_id(), lines = { H.line("cake", 2000, 400, vat10) },
      payments = { { method = "Voucher", amount = 800 } } },
  }))
  H.eq(accepted, 2, "accepted")
  H.eq(results[1].status, 0, "first")
  H.eq(results[1].state, "paid", "first paid")
  H.eq(results[2].status, E.INVAL, "unknown method")
  H.ok(results[2].message, "message")
  H.eq(results[3].status, 0, "third")
  -- A free coffee (100 % discount) is validated; an invoiced order; a voided payment.
  local free = assert(s2:create_order(H.mia, { lines = {
    { product_id = "coffee", unit_price = 250, discount_ppm = 1000000, taxes = vat10 } } }))
  H.eq(free:totals().total, 0, "free")
  assert(free:validate(H.mia))
  H.eq(free:state(), "paid", "validated")
  local inv = assert(s2:create_order(H.mia, { lines = { H.line("cake", 1000, 400, vat10) } }))
  assert(inv:set_invoiced(H.mia, true))
  H.eq(inv:is_invoiced(), true, "invoiced")
  assert(inv:add_payment(H.mia, { method = "Cash", amount = 100 }))
  H.eq(inv:totals().remaining, 300, "remaining")
  assert(inv:void_payment(H.mia, 1, "wrong amount"))
  H.eq(inv:payments()[1].state, "voided", "voided")
  H.eq(inv:totals().paid, 0, "nothing paid")
  H.raises("bad argument #2 to 'set_invoiced' (boolean expected, got number)", function()
    inv:set_invoiced(H.mia, 1)
  end)
end)

H.test("force close of a stuck session by an admin", function()
  local s2 = assert(ctx:find_open_session(H.CONFIG_ID))
  local o = assert(s2:create_order(H.mia, { lines = { H.line("coffee", 1000, 250, vat10) } }))
  H.fails(E.ACCESS, "manager", s2:force_close(H.mia, { reason = "till died" }))
  assert(s2:force_close(H.ada, { reason = "till died", counted_cash = 19100 }))
  H.eq(s2:state(), "closed", "closed")
  H.eq(assert(s2:load_order(o:id())):state(), "cancelled", "draft cancelled")
end)

H.test("a late order for a closed session goes to a rescue session", function()
  local r = assert(s:submit(H.alice, { id = H.order_id(),
    lines = { H.line("tea", 1000, 200) }, payments = { { method = "Cash", amount = 200 } } }))
  H.eq(r.routed, true, "routed")
  H.eq(r.rescue, true, "rescue")
  H.ok(r.session_id ~= s:id(), "another session")
  local rescue = assert(ctx:load_session(r.session_id))
  H.eq(rescue:is_rescue(), true, "is rescue")
  H.ok(rescue:name():find("RESCUE", 1, true), rescue:name())
  H.eq(s:state(), "closed", "the closed session stays closed")
end)

H.done()
