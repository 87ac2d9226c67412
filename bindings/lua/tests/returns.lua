-- returns.lua: exchanges and returns without a receipt through the Lua binding
-- (doc/concepts.md, "Returns and exchanges"): a refund order holding new sale lines beside
-- its refund lines, the customer paying or getting back the difference; a line with a
-- negative quantity and no refund_line taking a product back without a receipt, where the
-- config allows it (allow_receiptless_returns), for the role it names
-- (receiptless_return_role), with the order's return_reason, audited as order.return. The
-- figures are those of tests/core/returns.c.
local H = require "helper"
local p = H.p
local E = p.E

local seq = 0
local function next_id()
  seq = seq + 1
  return ("000000e1-0000-4000-8000-%012d"):format(seq)
end

local function setup(overrides, opening)
  local S = H.lua_store_table()
  local ctx = H.context(p.lua_store(S))
  local cfg = H.save_config(ctx, overrides)
  local s = assert(ctx:create_session(H.CONFIG_ID, H.alice, { operating_date = H.DATE }))
  assert(s:open(H.alice, { counted_cash = opening or 0 }))
  return ctx, s, S, cfg
end

-- Submits the lines paid by one cash payment (none when 0).
local function submit(s, who, refund_of, lines, cash, reason, id)
  local payments = cash ~= 0 and { { method = "Cash", amount = cash } } or nil
  return s:submit(who, { id = id or next_id(), refund_of = refund_of, lines = lines,
                         payments = payments, return_reason = reason })
end

local function back(line) return { refund_line = line, quantity = -1000 } end
local function vat20(product, qty, price) return H.line(product, qty, price, { "VAT20" }) end
local function kettle() return vat20("kettle", -1000, 2000) end

-- Closes with the expected cash counted; the entry's lines, one a row.
local function close_lines(s)
  local expected = assert(s:expected_cash())
  assert(s:start_closing(H.alice))
  assert(s:count(H.alice, { cash_total = expected }))
  assert(s:close(H.mia))
  local rows = {}
  for _, l in ipairs(assert(s:entry()):lines()) do
    rows[#rows + 1] = ("%s | %d | %d | %s"):format(l.account, l.debit, l.credit, l.label)
  end
  return table.concat(rows, "\n")
end

local function refused(S, code, message, ...)
  local before = H.dump(S)
  H.eq(H.fails(code, message, ...), message, "message")
  H.same(H.dump(S), before, "store unchanged")
end

H.test("exchanges: a mug for a cup (3.60 paid), a mug for a spoon (8.40 back)", function()
  local _, s, S = setup()
  local sale = next_id()
  assert(submit(s, H.alice, nil, { vat20("mug", 2000, 1200) }, 2880, nil, sale))
  local cup = next_id()
  local r = assert(submit(s, H.alice, sale, { back(1), vat20("cup", 1000, 1500) }, 360, nil, cup))
  H.eq(r.state, "paid", "state")
  local o = assert(s:load_order(cup))
  H.eq(o:refund_of(), sale, "refund_of")
  H.eq(o:totals().total, 360, "the customer pays 3.60")
  local l = o:lines()
  H.eq(("%s %d %d %d"):format(l[1].product_id, l[1].quantity, l[1].refund_line, l[1].total),
    "mug -1000 1 -1440", "refund line")
  H.eq(("%s %d %s %d"):format(l[2].product_id, l[2].quantity, tostring(l[2].refund_line),
                              l[2].total), "cup 1000 nil 1800", "sale line")
  local spoon = next_id()
  assert(submit(s, H.alice, sale, { back(1), vat20("spoon", 1000, 500) }, -840, nil, spoon))
  H.eq(assert(s:load_order(spoon)):totals().total, -840, "8.40 back")
  local before = H.dump(S)
  local msg, fig = H.fails(E.REFUND, "a third mug",
    submit(s, H.alice, sale, { back(1), vat20("cup", 1000, 1500) }, 360))
  H.eq(msg, "line 0 ('mug') of order " .. sale .. " sold 2.000 and 2.000 are already refunded; "
         .. "refunding 1.000 more is refused", "message")
  H.eq(fig.available, 0, "available")
  H.same(H.dump(S), before, "store unchanged")
  assert(s:verify())
  H.eq(s:expected_cash(), 2400, "28.80 + 3.60 - 8.40")
  H.eq(close_lines(s), "Assets:Cash | 2400 | 0 | Payments Cash\n"
                    .. "Income:Sales | 0 | 4400 | Sales VAT20\n"
                    .. "Income:Sales | 2400 | 0 | Refunds VAT20\n"
                    .. "Liabilities:VAT20 | 0 | 880 | Tax VAT20\n"
                    .. "Liabilities:VAT20 | 480 | 0 | Refunded tax VAT20", "entry")
end)

H.test("an even exchange is paid at once (per order rounding)", function()
  local _, s = setup({ tax_rounding = "per_order" })
  local sale = next_id()
  assert(submit(s, H.alice, nil, { vat20("mug", 1000, 1200) }, 1440, nil, sale))
  local r = assert(submit(s, H.alice, sale, { back(1), vat20("mug-blue", 1000, 1200) }, 0))
  H.eq(r.state, "paid", "state")
  local lines = close_lines(s)
  H.ok(lines:find("Income:Sales | 0 | 2400 | Sales VAT20\n"
                  .. "Income:Sales | 1200 | 0 | Refunds VAT20\n", 1, true), lines)
end)

for _, rounding in ipairs({ "per_line", "per_order" }) do
  H.test("a kettle back without a receipt: 24.00 (" .. rounding .. ")", function()
    local ctx, s, S = setup({ allow_receiptless_returns = true, tax_rounding = rounding }, 5000)
    local id = next_id()
    refused(S, E.ACCESS,
      "alice (cashier) may not take back 'kettle' without a receipt: it takes a manager",
      submit(s, H.alice, nil, { kettle() }, -2400, "no ticket", id))
    refused(S, E.INVAL, "order " .. id .. " takes back 'kettle' without a receipt and gives no "
      .. "return_reason", submit(s, H.mia, nil, { kettle() }, -2400, nil, id))
    refused(S, E.INVAL, "order " .. id .. " takes back 'kettle' without a receipt and gives no "
      .. "return_reason", submit(s, H.mia, nil, { kettle() }, -2400, "", id))
    local r = assert(submit(s, H.mia, nil, { kettle() }, -2400, "no ticket, regular customer", id))
    H.eq(r.state, "paid", "state")
    local o = assert(s:load_order(id))
    H.eq(o:totals().total, -2400, "total")
    H.eq(o:refund_of(), nil, "refund_of")
    local l = o:lines()[1]
    H.eq(("%d %s %d %d"):format(l.quantity, tostring(l.refund_line), l.untaxed, l.tax),
      "-1000 nil -2000 -400", "line")
    local found = {}
    for _, a in ipairs(assert(ctx:audit(s:id()))) do
      if a.action == "order.return" then found[#found + 1] = a end
    end
    H.eq(#found, 1, "audited once")
    H.eq(found[1].outcome, 0, "outcome")
    H.eq(found[1].user, "mia", "user")
    H.eq(found[1].reason, "no ticket, regular customer", "reason")
    H.ok(found[1].json:find('"extra":{"order":"' .. id .. '","product":"kettle",'
                            .. '"quantity":-1000,"total":-2400}', 1, true), found[1].json)
    -- the reason is part of the order
    local before = H.dump(S)
    H.fails(E.CONFLICT, "another reason", submit(s, H.mia, nil, { kettle() }, -2400, "x", id))
    H.same(H.dump(S), before, "store unchanged")
    assert(s:verify())
    H.eq(close_lines(s), "Assets:Cash | 0 | 2400 | Payments Cash\n"
                      .. "Income:Sales | 2000 | 0 | Refunds VAT20\n"
                      .. "Liabilities:VAT20 | 400 | 0 | Refunded tax VAT20\n"
                      .. "Assets:Cash | 5000 | 0 | Opening cash difference\n"
                      .. "Income:Cash Over | 0 | 5000 | Opening cash difference", "entry")
  end)
end

H.test("beside a sale on a draft", function()
  local ctx, s = setup({ allow_receiptless_returns = true }, 5000)
  assert(s:take_over(H.mia))
  local o = assert(s:create_order(H.mia, { lines = { H.line("tea", 1000, 500), kettle() },
                                           return_reason = "broken" }))
  H.eq(o:totals().total, -1900, "total")
  assert(o:add_payment(H.mia, { method = "Cash", amount = -1900 }))
  H.eq(o:state(), "paid", "state")
  local reasons = {}
  for _, a in ipairs(assert(ctx:audit(s:id()))) do
    if a.action == "order.return" then reasons[#reasons + 1] = a.reason end
  end
  H.eq(table.concat(reasons, ","), "broken", "audited")
end)

H.test("the role the config names", function()
  local _, s = setup({ allow_receiptless_returns = true, receiptless_return_role = "cashier" })
  assert(submit(s, H.alice, nil, { kettle() }, 0, "no ticket"))
  local _, s2, S2, cfg = setup({ allow_receiptless_returns = true,
                                 receiptless_return_role = "admin" })
  refused(S2, E.ACCESS, "mia (manager) may not take back 'kettle' without a receipt: it takes "
    .. "an admin", submit(s2, H.mia, nil, { kettle() }, 0, "no ticket"))
  assert(submit(s2, H.ada, nil, { kettle() }, 0, "no ticket"))
  local json = cfg:to_json()
  H.ok(json:find('"receiptless_returns":true,"receiptless_return_role":"admin"', 1, true), json)
  H.raises("receiptless_return_role", function()
    setup({ receiptless_return_role = "boss" })
  end, "an unknown role")
end)

H.test("without the option no one may; alone in a batch", function()
  local _, s, S, cfg = setup(nil, 5000)
  refused(S, E.INVAL, "line of 'kettle' takes it back without a receipt, and config 'Main "
    .. "register' does not allow returns without a receipt (give refund_of and refund_line)",
    submit(s, H.ada, nil, { kettle() }, -2400, "no ticket"))
  local json = cfg:to_json()
  H.ok(json:find('"receiptless_returns":false,"receiptless_return_role":"manager"', 1, true),
    json)
  local results, accepted = assert(s:submit_batch(H.ada, {
    { id = next_id(), lines = { kettle() }, payments = { { method = "Cash", amount = -2400 } },
      return_reason = "no ticket" },
    { id = next_id(), lines = { H.line("tea", 1000, 500) },
      payments = { { method = "Cash", amount = 500 } } } }))
  H.eq(accepted, 1, "accepted")
  H.eq(results[1].status, E.INVAL, "the return refused")
  H.eq(results[2].status, 0, "the sale taken")
end)

H.test("the order's return reason read back", function()
  local _, s = setup({ allow_receiptless_returns = true }, 5000)
  local id = next_id()
  assert(submit(s, H.mia, nil, { kettle() }, -2400, "no ticket, régulier", id))
  H.eq(assert(s:load_order(id)):return_reason(), "no ticket, régulier", "submitted")
  assert(s:take_over(H.mia))
  local o = assert(s:create_order(H.mia, { lines = { H.line("tea", 1000, 500), kettle() },
                                           return_reason = "broken" }))
  H.eq(o:return_reason(), "broken", "draft")
  H.eq(assert(s:load_order(o:id())):return_reason(), "broken", "loaded")
  H.eq(assert(s:create_order(H.mia, { lines = { H.line("tea", 1000, 500) } })):return_reason(),
    nil, "a sale has none")
end)

H.done()
