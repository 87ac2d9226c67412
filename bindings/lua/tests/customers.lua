-- customers.lua: customers and split receivables through the Lua binding (doc/concepts.md,
-- "Customers"): an order's customer (the host's partner id) in the order table, read back
-- with order:customer(); with the config's split_receivables the entry credits each
-- customer's invoiced orders on a receivable line of its own whose partner is the customer,
-- the rest on the combined line. The figures are those of tests/core/customers.c.
local H = require "helper"
local p = H.p
local E = p.E

local seq = 0
local function next_id()
  seq = seq + 1
  return ("000000c5-0000-4000-8000-%012d"):format(seq)
end

local function setup(split)
  local S = H.lua_store_table()
  local ctx = H.context(p.lua_store(S))
  local cfg = H.save_config(ctx, { split_receivables = split })
  local s = assert(ctx:create_session(H.CONFIG_ID, H.alice, { operating_date = H.DATE }))
  assert(s:open(H.alice, { counted_cash = 0 }))
  return ctx, s, S, cfg
end

local function sell_to(s, customer, invoiced, price, id)
  return s:submit(H.alice, { id = id or next_id(), customer = customer, invoiced = invoiced,
                             lines = { H.line("desk", 1000, price) },
                             payments = { { method = "Voucher", amount = price } } })
end

-- C-1 buys twice on invoice (12.00 and 8.00), C-2 once (5.00), someone without a customer
-- once (3.00), and C-1 once more without an invoice (4.00, a plain sale).
local function day(s)
  assert(sell_to(s, "C-1", true, 1200))
  assert(sell_to(s, "C-2", true, 500))
  assert(sell_to(s, "C-1", true, 800))
  assert(sell_to(s, nil, true, 300))
  assert(sell_to(s, "C-1", false, 400))
end

-- Closes and lists the entry's receivable lines, one a row.
local function receivables(s)
  assert(s:start_closing(H.alice))
  assert(s:count(H.alice, { cash_total = 0 }))
  assert(s:close(H.alice))
  local e = assert(s:entry())
  H.eq(e:total(), 3200, "entry total")
  local rows = {}
  for _, l in ipairs(e:lines()) do
    if l.kind == "receivable" then
      rows[#rows + 1] = ("%s | %d | %s | %s"):format(l.account, l.credit, l.label,
                                                    l.partner or "-")
    end
  end
  return table.concat(rows, "\n"), e
end

H.test("split: 20.00 for C-1, 5.00 for C-2, 3.00 combined", function()
  local ctx, s = setup(true)
  day(s)
  assert(s:verify())
  local rows, e = receivables(s)
  H.eq(rows, "Assets:POS Receivable | 2000 | Invoiced orders of C-1 | C-1\n"
          .. "Assets:POS Receivable | 500 | Invoiced orders of C-2 | C-2\n"
          .. "Assets:POS Receivable | 300 | Invoiced orders | -", "receivables")
  for _, l in ipairs(e:lines()) do
    if l.kind ~= "receivable" then H.eq(l.partner, nil, l.label .. ": partner") end
  end
  local ledger = assert(ctx:ledger(H.CONFIG_ID))
  H.ok(ledger:find("    Assets:POS Receivable  EUR -20.00  ; Invoiced orders of C-1\n", 1,
                   true), ledger)
  local partners = {}
  for _, l in ipairs(assert(ctx:load_entry(e:id())):lines()) do
    if l.kind == "receivable" then partners[#partners + 1] = l.partner or "-" end
  end
  H.eq(table.concat(partners, " "), "C-1 C-2 -", "the entry loaded again")
end)

H.test("combined: 28.00 on one line without the option", function()
  local _, s = setup(false)
  day(s)
  H.eq(receivables(s), "Assets:POS Receivable | 2800 | Invoiced orders | -", "receivables")
end)

H.test("the option travels in the config's JSON", function()
  local ctx, _, _, cfg = setup(true)
  local json = cfg:to_json()
  H.ok(json:find('"split_receivables":true', 1, true), json)
  local copy = assert(ctx:config_from_json(json))
  H.ok(copy:to_json():find('"split_receivables":true', 1, true), "read back")
  local _, _, _, plain = setup(nil)
  H.ok(plain:to_json():find('"split_receivables":false', 1, true), "the default")
end)

H.test("the customer: read back, part of the content, bad ids change nothing", function()
  local _, s, S = setup(true)
  local id = next_id()
  assert(sell_to(s, "C-\xc3\xa9", true, 1200, id))
  H.eq(assert(s:load_order(id)):customer(), "C-\xc3\xa9", "customer")
  local d = assert(s:create_order(H.alice, { lines = { H.line("desk", 1000, 100) },
                                             customer = "C-2" }))
  H.eq(d:customer(), "C-2", "draft")
  H.eq(assert(s:create_order(H.alice, { lines = { H.line("desk", 1000, 100) } })):customer(),
    nil, "none")
  H.eq(assert(sell_to(s, "C-\xc3\xa9", true, 1200, id)).duplicate, true, "duplicate")
  local before = H.dump(S)
  H.fails(E.CONFLICT, "another customer", sell_to(s, "C-2", true, 1200, id))
  local msg = H.fails(E.INVAL, "a tab", sell_to(s, "C-\t1", true, 1200))
  H.ok(msg:find("customer id", 1, true), msg)
  H.fails(E.INVAL, "201 bytes", sell_to(s, ("x"):rep(201), true, 1200))
  H.same(H.dump(S), before, "store unchanged")
  H.raises("customer", function() sell_to(s, 7, true, 1200) end, "a number")
  local results, accepted = assert(s:submit_batch(H.alice, {
    { id = next_id(), customer = "C-3", invoiced = true, lines = { H.line("desk", 1000, 200) },
      payments = { { method = "Voucher", amount = 200 } } },
    { id = next_id(), customer = "C-\t3", lines = { H.line("desk", 1000, 200) },
      payments = { { method = "Voucher", amount = 200 } } } }))
  H.eq(accepted, 1, "accepted")
  H.eq(results[2].status, E.INVAL, "bad customer refused alone")
  H.eq(assert(s:load_order(results[1].order_id)):customer(), "C-3", "batch customer")
end)

H.done()
