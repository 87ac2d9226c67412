-- discounts.lua: order-level discounts through the Lua binding (doc/concepts.md, "Order
-- discounts"): discount_amount in minor units or discount_ppm of the order, shared over the
-- lines by largest remainder (the earlier line first on a tie), read back with
-- order:discount() and each line's order_discount. The figures are those of
-- tests/core/discount.c, ERPNext's cases among them.
local H = require "helper"
local p = H.p
local E = p.E

local seq = 0
local function next_id()
  seq = seq + 1
  return ("000000d1-0000-4000-8000-%012d"):format(seq)
end

local function setup(overrides)
  local S = H.lua_store_table()
  local ctx = H.context(p.lua_store(S))
  H.save_config(ctx, overrides)
  local s = assert(ctx:create_session(H.CONFIG_ID, H.alice, { operating_date = H.DATE }))
  assert(s:open(H.alice, { counted_cash = 0 }))
  return s, S
end

local function draft(s, lines, amount, ppm, id)
  return assert(s:create_order(H.alice, { id = id or next_id(), lines = lines,
                                          discount_amount = amount, discount_ppm = ppm }))
end

local function column(o, field)
  local out = {}
  for i, l in ipairs(o:lines()) do out[i] = l[field] end
  return table.concat(out, " ")
end

local function refused(S, code, message, ...)
  local before = H.dump(S)
  local msg = H.fails(code, message, ...)
  H.eq(msg, message, "message")
  H.same(H.dump(S), before, "store unchanged")
end

H.test("ERPNext: 100.00 off 500.00 + 1000.00 is 33.33 + 66.67", function()
  local s = setup()
  local o = draft(s, { H.line("item", 5000, 10000), H.line("item", 5000, 20000) }, 10000)
  H.eq(column(o, "order_discount"), "3333 6667", "shares")
  H.eq(column(o, "total"), "46667 93333", "line totals")
  H.eq(o:totals().total, 140000, "total")
  local d = o:discount()
  H.eq(d.amount, 10000, "amount")
  H.eq(d.ppm, nil, "ppm")
  H.eq(d.applied, 10000, "applied")
end)

for _, rounding in ipairs({ "per_line", "per_order" }) do
  H.test("ERPNext: with 10% included, net total 1272.73 (" .. rounding .. ")", function()
    local s = setup({ tax_rounding = rounding })
    local o = draft(s, { H.line("item", 5000, 10000, { "VAT10" }),
                         H.line("item", 5000, 20000, { "VAT10" }) }, 10000)
    local t = o:totals()
    H.eq(t.total, 140000, "total")
    H.eq(t.untaxed, 127273, "net total")
    H.eq(t.tax, 12727, "tax")
    H.eq(column(o, "total"), "46667 93333", "line totals")
    H.eq(column(o, "untaxed"), "42425 84848", "line net")
    H.eq(column(o, "order_discount"), "3333 6667", "shares")
  end)
end

H.test("ERPNext: 10.00 off three lines of 100.00 is 3.34, 3.33, 3.33", function()
  local s = setup()
  local l = H.line("item", 1000, 10000)
  local o = draft(s, { l, l, l }, 1000)
  H.eq(column(o, "order_discount"), "334 333 333", "the spare unit on the first line")
  H.eq(column(o, "total"), "9666 9667 9667", "line totals")
  H.eq(o:totals().total, 29000, "total")
  -- 10% of it: 30.00, exactly 10.00 a line
  o = draft(s, { l, l, l }, nil, 100000)
  H.eq(column(o, "order_discount"), "1000 1000 1000", "10% shares")
  H.eq(o:totals().total, 27000, "10% total")
  local d = o:discount()
  H.eq(d.amount, nil, "amount")
  H.eq(d.ppm, 100000, "ppm")
  H.eq(d.applied, 3000, "applied")
end)

H.test("a percent rounded once; an excluded tax on the discounted amount", function()
  local s = setup()
  local o = draft(s, { H.line("a", 1000, 10), H.line("b", 1000, 5) }, nil, 333333)
  H.eq(column(o, "order_discount"), "3 2", "shares")
  H.eq(o:totals().total, 10, "total")
  o = draft(s, { H.line("lamp", 1000, 4000, { "VAT20" }), H.line("bulb", 2000, 500, { "VAT20" }) },
            1000)
  H.eq(column(o, "order_discount"), "800 200", "shares")
  H.eq(o:lines()[1].untaxed, 3200, "lamp net")
  H.eq(column(o, "tax"), "640 160", "taxes")
  H.eq(o:totals().total, 4800, "total")
end)

H.test("no discount: discount() is nil, the shares 0", function()
  local s = setup()
  local o = draft(s, { H.line("tea", 1000, 1000) })
  H.eq(o:discount(), nil, "discount")
  H.eq(o:lines()[1].order_discount, 0, "share")
  H.eq(draft(s, { H.line("tea", 1000, 1000) }, 0, 0):discount(), nil, "zero")
end)

H.test("refusals: the library's messages, the store unchanged", function()
  local s, S = setup()
  local tea = { H.line("tea", 1000, 1000) }
  local function create(amount, ppm, extra)
    local t = { id = "000000d1-0000-4000-8000-000000000999", lines = tea,
                discount_amount = amount, discount_ppm = ppm }
    for k, v in pairs(extra or {}) do t[k] = v end
    return s:create_order(H.alice, t)
  end
  refused(S, E.INVAL, "order discount of 10.01 is larger than order "
    .. "000000d1-0000-4000-8000-000000000999 (10.00)", create(1001))
  refused(S, E.INVAL, "an order discount is an amount or a percent, not both", create(100, 100000))
  refused(S, E.INVAL, "order discount of 1000001 ppm is outside 0 to 1000000", create(nil, 1000001))
  refused(S, E.INVAL, "order discount -1 is outside 0 to the bound of an amount", create(-1))
  refused(S, E.INVAL, "order discount of 1.00 is larger than order "
    .. "000000d1-0000-4000-8000-000000000999 (0.00)", create(100, nil, { lines = {} }))
  -- a refund takes its discounts from the sale
  local sale = next_id()
  assert(s:submit(H.alice, { id = sale, lines = tea,
                             payments = { { method = "Cash", amount = 1000 } } }))
  refused(S, E.INVAL, "a refund takes its discounts from the sale; it has no order discount of "
    .. "its own", create(100, nil, { refund_of = sale,
                                     lines = { { refund_line = 1, quantity = -1000 } } }))
  -- the whole order off is allowed
  H.eq(draft(s, tea, nil, 1000000):totals().total, 0, "100%")
  -- programming errors raise
  H.raises("integer", function() create(10.0) end, "a float amount")
  H.raises("integer", function() create("1.00") end, "a string amount")
end)

H.test("a draft re-shares; its refund gives back what a line was sold for", function()
  local s, S = setup()
  local id = next_id()
  local o = draft(s, { H.line("book", 1000, 3000) }, 2000, nil, id)
  H.eq(column(o, "order_discount"), "2000", "one line")
  assert(o:add_line(H.alice, H.line("pen", 1000, 1000)))
  H.eq(column(o, "order_discount"), "1500 500", "two lines")
  H.eq(o:totals().total, 2000, "total")
  refused(S, E.INVAL, "order discount of 20.00 is larger than order " .. id .. " (10.00)",
    o:remove_line(H.alice, 1))
  H.eq(#o:lines(), 2, "lines kept")
  assert(o:add_payment(H.alice, { method = "Cash", amount = 2000 }))
  H.eq(o:state(), "paid", "paid")
  local again = assert(s:load_order(id))
  H.eq(again:discount().amount, 2000, "stored amount")
  H.eq(column(again, "order_discount"), "1500 500", "stored shares")
  local rid = next_id()
  assert(s:submit(H.alice, { id = rid, refund_of = id,
                             lines = { { refund_line = 2, quantity = -1000 } },
                             payments = { { method = "Cash", amount = -500 } } }))
  local refund = assert(s:load_order(rid))
  H.eq(refund:totals().total, -500, "refund total")
  H.eq(refund:discount(), nil, "refund discount")
  assert(s:verify())
end)

H.test("part of a submitted order: duplicate, conflict, alone in a batch", function()
  local s, S = setup()
  local l = H.line("item", 1000, 10000)
  local id = next_id()
  local order = { id = id, lines = { l, l, l }, payments = { { method = "Cash", amount = 29000 } },
                  discount_amount = 1000 }
  local r = assert(s:submit(H.alice, order))
  H.eq(r.duplicate, false, "first")
  H.eq(assert(s:submit(H.alice, order)).duplicate, true, "again")
  order.discount_amount = 1001
  local before = H.dump(S)
  H.fails(E.CONFLICT, "another discount under the same id", s:submit(H.alice, order))
  H.same(H.dump(S), before, "store unchanged")
  local results, accepted = assert(s:submit_batch(H.alice, {
    { id = next_id(), lines = { l }, payments = { { method = "Cash", amount = 9000 } },
      discount_ppm = 100000 },
    { id = next_id(), lines = { l }, payments = { { method = "Cash", amount = 1 } },
      discount_amount = 10001 },
  }))
  H.eq(accepted, 1, "accepted")
  H.eq(results[1].status, 0, "first taken")
  H.eq(results[2].status, E.INVAL, "second refused")
end)

H.done()
