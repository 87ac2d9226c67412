-- fixed_taxes.lua: fixed taxes and taxes on taxes through the Lua binding (doc/concepts.md,
-- "Fixed taxes and taxes on taxes"): a tax with per_unit (minor units per unit of quantity,
-- no rate), included in the price or added on top, and affects_base (the tax joins the base
-- of the taxes listed after it on a line, so the order of a line's taxes counts and is kept
-- as given). The figures are those of tests/core/fixed_taxes.c, Odoo's among them.
local H = require "helper"
local p = H.p
local E = p.E

-- DEPOSIT 0.25 a unit on top, ECO 0.50 a unit on top in the base of what follows, DEPINC 0.10
-- a unit included; Odoo's fixed 10 on top, the same in the base, fixed 10 included, 10 % on
-- top and 21 % included.
local FIXED = {
  { code = "DEPOSIT", per_unit = 25, account = "Liabilities:Deposits" },
  { code = "ECO", per_unit = 50, affects_base = true, account = "Liabilities:Eco" },
  { code = "DEPINC", per_unit = 10, included = true, account = "Liabilities:Dep" },
  { code = "FIX10", per_unit = 1000, account = "Liabilities:Odoo" },
  { code = "FIX10B", per_unit = 1000, affects_base = true, account = "Liabilities:Odoo" },
  { code = "FIX10I", per_unit = 1000, included = true, account = "Liabilities:Odoo" },
  { code = "P10", rate_ppm = 100000, account = "Liabilities:Odoo" },
  { code = "P21I", rate_ppm = 210000, included = true, account = "Liabilities:Odoo" },
}

local function all_taxes(extra)
  local t = {}
  for _, x in ipairs(H.config_table().taxes) do t[#t + 1] = x end
  for _, x in ipairs(extra or FIXED) do t[#t + 1] = x end
  return t
end

local seq = 0
local function next_id()
  seq = seq + 1
  return ("0000000f-0000-4000-8000-%012d"):format(seq)
end

local function setup(rounding)
  local S = H.lua_store_table()
  local ctx = H.context(p.lua_store(S))
  local cfg = H.save_config(ctx, { tax_rounding = rounding or "per_line", taxes = all_taxes() })
  local s = assert(ctx:create_session(H.CONFIG_ID, H.alice, { operating_date = H.DATE }))
  assert(s:open(H.alice, { counted_cash = 0 }))
  return ctx, s, S, cfg
end

local function draft(s, lines)
  return assert(s:create_order(H.alice, { id = next_id(), lines = lines }))
end

local function figures(l) return ("%d %d %d"):format(l.untaxed, l.tax, l.total) end

H.test("six bottles at 0.80 with a 0.25 deposit and 20 % VAT: 7.26", function()
  local _, s = setup()
  local o = draft(s, { H.line("water", 6000, 80, { "DEPOSIT", "VAT20" }),
                       H.line("nuts", 1500, 400, { "DEPOSIT" }) })
  local lines = o:lines()
  H.eq(figures(lines[1]), "480 246 726", "water")
  H.eq(lines[2].tax, 38, "1.5 kg at 0.25 is 0.375, half up 0.38")
  H.eq(o:totals().total, 726 + 600 + 38, "total")
  local by = {}
  for _, t in ipairs(o:taxes()) do by[t.code] = t end
  H.eq(by.DEPOSIT.amount, 188, "deposits")
  H.eq(by.DEPOSIT.rate_ppm, 0, "no rate")
  H.eq(by.VAT20.base .. " " .. by.VAT20.amount, "480 96", "VAT not on the deposit")
end)

H.test("a 300.00 fridge with 0.50 eco-tax before VAT (60.10) and after it (60.00)", function()
  local _, s, S = setup()
  local o = draft(s, { H.line("fridge", 1000, 30000, { "ECO", "VAT20" }),
                       H.line("fridge", 1000, 30000, { "VAT20", "ECO" }) })
  local lines = o:lines()
  H.eq(figures(lines[1]), "30000 6060 36060", "eco-tax in VAT's base")
  H.eq(figures(lines[2]), "30000 6050 36050", "eco-tax after VAT")
  H.eq(table.concat(lines[1].taxes, ","), "ECO,VAT20", "order kept")
  H.eq(table.concat(lines[2].taxes, ","), "VAT20,ECO", "order kept")
  assert(o:add_payment(H.alice, { method = "Voucher", amount = 72110 }))
  local again = assert(s:load_order(o:id()))
  H.eq(table.concat(again:lines()[2].taxes, ","), "VAT20,ECO", "order stored")
  H.eq(again:lines()[1].total, 36060, "stored figures")
  local payload = S.records["order\0" .. o:id()].payload
  -- the tax table entry: rate, included, account, per unit, affects the base
  H.ok(payload:find('"ECO":[0,false,"Liabilities:Eco",50,true]', 1, true), payload)
  H.ok(payload:find('["fridge",1000,30000,[["VAT20",6000],["ECO",50]]]', 1, true), payload)
  -- the refund of the first fridge gives back exactly what it took
  assert(s:submit(H.alice, { id = next_id(), refund_of = o:id(),
                             lines = { { refund_line = 1, quantity = -1000 } },
                             payments = { { method = "Voucher", amount = -36060 } } }))
  assert(s:verify())
  local expected = assert(s:expected_cash())
  assert(s:start_closing(H.alice))
  assert(s:count(H.alice, { cash_total = expected }))
  assert(s:close(H.mia))
  local net = {}
  for _, l in ipairs(assert(s:entry()):lines()) do
    net[l.account] = (net[l.account] or 0) + l.credit - l.debit
  end
  H.eq(net["Liabilities:Eco"], 50, "eco-tax")
  H.eq(net["Liabilities:VAT20"], 6000, "VAT: the second fridge's")
end)

H.test("juice at 1.10 including a 0.10 deposit and 10 % VAT: 1.82 + 0.38", function()
  local _, s, S = setup()
  local o = draft(s, { H.line("juice", 2000, 110, { "DEPINC", "VAT10" }) })
  H.eq(figures(o:lines()[1]), "182 38 220", "juice")
  local before = H.dump(S)
  H.eq(H.fails(E.INVAL, "a price below its deposit", s:create_order(H.alice, {
    id = next_id(), lines = { H.line("sip", 1000, 5, { "DEPINC", "VAT10" }) } })),
    "line of 'sip': the fixed taxes included in its price 0.05 exceed it (0.10)", "message")
  H.same(H.dump(S), before, "store unchanged")
end)

H.test("per order: three bulbs of 0.33 with the eco-tax, VAT 0.50 once", function()
  local _, s = setup("per_order")
  local bulb = H.line("bulb", 1000, 33, { "ECO", "VAT20" })
  local t = draft(s, { bulb, bulb, bulb }):totals()
  H.eq(("%d %d %d"):format(t.untaxed, t.tax, t.total), "99 200 299", "totals")
end)

H.test("Odoo's cases: 230, 231, 180 + 20, 5.79 + 1.21", function()
  local _, s = setup()
  local lines = draft(s, { H.line("a", 1000, 20000, { "FIX10", "P10" }),
                           H.line("b", 1000, 20000, { "FIX10B", "P10" }),
                           H.line("c", 2000, 10000, { "FIX10I" }),
                           H.line("d", 1000, 700, { "P21I" }) }):lines()
  H.eq(figures(lines[1]), "20000 3000 23000", "a fixed 10 beside 10 %")
  H.eq(figures(lines[2]), "20000 3100 23100", "the fixed 10 in the base")
  H.eq(figures(lines[3]), "18000 2000 20000", "a fixed 10 included")
  H.eq(figures(lines[4]), "579 121 700", "21 % included")
end)

H.test("refusals, and the taxes through JSON", function()
  local S = H.lua_store_table()
  local ctx = H.context(p.lua_store(S))
  local function refused(message, tax)
    H.eq(H.fails(E.INVAL, message, ctx:new_config(H.config_table({ taxes = all_taxes({ tax }) }))),
      message, "message")
  end
  refused("tax 'BOTH' has a rate and an amount per unit; a fixed tax has no rate",
    { code = "BOTH", rate_ppm = 50000, per_unit = 10, account = "Tax" })
  refused("tax 'BOTH' has -1 per unit, outside 0 to the bound of an amount",
    { code = "BOTH", per_unit = -1, account = "Tax" })
  refused("tax 'BOTH' is included in the price; only a tax added on top may affect the base "
    .. "of the taxes after it",
    { code = "BOTH", rate_ppm = 100000, included = true, affects_base = true, account = "Tax" })
  H.raises("per_unit", function()
    ctx:new_config(H.config_table({ taxes = all_taxes({ { code = "F", per_unit = 0.25 } }) }))
  end, "a fraction of a minor unit")
  -- add_tax on a config handle
  local cfg = assert(ctx:new_config(H.config_table()))
  H.eq(H.fails(E.INVAL, "add_tax", cfg:add_tax({ code = "BOTH", rate_ppm = 1, per_unit = 1 })),
    "tax 'BOTH' has a rate and an amount per unit; a fixed tax has no rate", "add_tax")
  assert(cfg:add_tax({ code = "ECO", per_unit = 50, affects_base = true,
                       account = "Liabilities:Eco" }))
  assert(cfg:save(H.mia))
  local json = cfg:to_json()
  H.ok(json:find('{"code":"ECO","name":"ECO","rate_ppm":0,"included":false,'
                 .. '"account":"Liabilities:Eco","per_unit":50,"affects_base":true}', 1, true),
    json)
  H.eq(assert(ctx:config_from_json(json)):to_json(), json, "from JSON")
  H.eq(assert(ctx:load_config(H.CONFIG_ID)):to_json(), json, "loaded")
end)

H.done()
