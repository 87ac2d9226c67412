-- close_day.lua: one trading day at a bakery till, told from Lua. Alice opens the drawer,
-- sells, and counts short at night; the library refuses her close because the difference is
-- beyond what a cashier may close with, and says by how much; Mia, the manager, closes it.
-- Then the closing report and the journal entry as ledger text.
--
-- From the source tree, after building into build/ (see doc/lua.md):
--   LUA_CPATH='build/bindings/lua/?.so;;' lua5.4 examples/close_day.lua
-- or, after meson install, simply: lua5.4 examples/close_day.lua
local possession = require "possession"
local E = possession.E

local alice = { user = "alice", role = "cashier", device = "till-1" }
local mia = { user = "mia", role = "manager", device = "office" }

-- Every expected failure comes back as nil, message, code: stop the story on one.
local function check(ok, message, code)
  if ok == nil then error(("%s (%s)"):format(message, possession.strerror(code)), 2) end
  return ok
end

-- Handles are released at the end of the block that declared them <close>.
local store <close> = possession.memory_store()
local ctx <close> = check(possession.context(store))

-- The register: cash and an electronic card terminal, VAT included in prices, and a
-- cashier may close with at most 5.00 of difference.
local config <close> = check(ctx:new_config {
  name = "Bakery till", code = "BAK-01", currency = "EUR", currency_exponent = 2,
  max_difference = 500,
  income_account = "Income:Sales", receivable_account = "Assets:POS Receivable",
  difference_gain_account = "Income:Cash Over",
  difference_loss_account = "Expenses:Cash Short",
  cash_in_account = "Assets:Safe", cash_out_account = "Assets:Safe",
  methods = {
    { name = "Cash", kind = "cash", account = "Assets:Cash" },
    { name = "Card", kind = "card", account = "Assets:Card Clearing", electronic = true },
  },
  taxes = {
    { code = "VAT7", name = "VAT 7%", rate_ppm = 70000, included = true,
      account = "Liabilities:VAT" },
  },
  denominations = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000 },
})
check(config:save(mia))

local function euros(amount) return possession.money.format(amount, config) end

-- Morning: alice opens the empty drawer and puts the float from the safe in.
local session <close> = check(ctx:create_session(config:id(), alice,
  { operating_date = "2026-11-21" }))
check(session:open(alice, { counted_cash = 0 }))
check(session:cash_move(alice, { kind = "in", reason = "float from the safe",
                                 amount = possession.money.parse("150.00", config) }))
print(("%s opened by %s with a float of %s"):format(session:name(), session:user(),
  euros(check(session:expected_cash()))))

-- The day: two cash sales (one with change) and a card sale the terminal approves.
local vat = { "VAT7" }
check(session:submit(alice, {
  id = possession.id.generate(),
  lines = { { product_id = "baguette", quantity = 3000, unit_price = 120, taxes = vat },
            { product_id = "croissant", quantity = 4000, unit_price = 95, taxes = vat } },
  payments = { { method = "Cash", amount = 1000 } },
}))
check(session:submit(alice, {
  id = possession.id.generate(),
  lines = { { product_id = "cake", product_name = "Birthday cake", unit_price = 2450,
              taxes = vat } },
  payments = { { method = "Cash", amount = 2450 } },
}))
local order <close> = check(session:create_order(alice, {
  lines = { { product_id = "bread", product_name = "Sourdough", quantity = 2000,
              unit_price = 480, taxes = vat } },
}))
local card = check(order:add_payment(alice, { method = "Card", amount = 960 }))
check(order:confirm_payment(alice, card))
check(session:cash_move(alice, { kind = "out", amount = 10000, reason = "notes to the safe" }))
print(("expected in the drawer at night: %s"):format(euros(check(session:expected_cash()))))

-- Night: the drawer is 7.30 short.
check(session:start_closing(alice))
check(session:count(alice, {
  denominations = { [5000] = 1, [2000] = 1, [200] = 2, [50] = 1, [10] = 1 },
  methods = { Card = 960 },
}))
local ok, message, code, figures = session:close(alice)
if ok == nil and code == E.LIMIT then
  print(("alice may not close: %s"):format(message))
  print(("  expected %s, counted %s, difference %s, allowed %s"):format(euros(figures.expected),
    euros(figures.counted), euros(figures.difference), euros(figures.allowed)))
else
  error("the cashier's close should have been refused: " .. tostring(message))
end

-- The manager checks the count and closes with the difference.
check(session:close(mia, { note = "short 7.30, recounted with alice" }))
print(("%s closed by %s\n"):format(session:name(), mia.user))

local report <close> = check(session:report())
io.write(check(report:text()), "\n")
local entry <close> = check(session:entry())
io.write(check(entry:ledger()))
