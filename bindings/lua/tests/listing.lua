-- listing.lua: a config's sessions a page at a time through the Lua binding, newest first,
-- by state and operating date, with the cursor and the more flag; and a session's orders by
-- state before and after its close (doc/lua.md, doc/concepts.md "Listing"). Sessions are
-- named by their numbers so that a page is checked name by name.
local H = require "helper"
local p = H.p
local E = p.E

local OTHER_CONFIG = "0c0f1a00-0000-4000-8000-000000000002"
local NOBODY = "5e5510e0-0000-4000-8000-000000000099"

local function close_empty(s)
  assert(s:start_closing(H.alice))
  assert(s:count(H.alice, { cash_total = 0 }))
  assert(s:close(H.alice))
end

-- Ten sessions 00001..00010 dated 2026-11-01..10, each closed before the next but the last,
-- which trades; a Lua store that counts its scans of session records.
local function year()
  local S = H.lua_store_table()
  local scan = S.scan
  S.session_scans = 0
  function S:scan(kind, parent)
    if kind == "session" then self.session_scans = self.session_scans + 1 end
    return scan(self, kind, parent)
  end
  local ctx = H.context(p.lua_store(S))
  H.save_config(ctx)
  local names = {}
  for day = 1, 10 do
    H.advance(1000)
    local s = assert(ctx:create_session(H.CONFIG_ID, H.alice,
                                        { operating_date = ("2026-11-%02d"):format(day) }))
    assert(s:open(H.alice, { counted_cash = 0 }))
    if day < 10 then close_empty(s) end
    names[s:id()] = s:name():match("/(.*)")
    s:release()
  end
  return ctx, S, names
end

-- The page's names joined by spaces, and its more flag.
local function page(ctx, names, query)
  local ids, more = ctx:list_sessions_page(H.CONFIG_ID, query)
  H.ok(ids, more)
  local out = {}
  for i, id in ipairs(ids) do out[i] = names[id] end
  return table.concat(out, " "), more, ids
end

local function same_page(ctx, names, query, want, want_more, what)
  local got, more, ids = page(ctx, names, query)
  H.eq(got, want, what)
  H.eq(more, want_more, what .. ": more")
  return ids
end

H.test("pages of 4 over ten sessions, newest first", function()
  local ctx, S, names = year()
  local first = same_page(ctx, names, { limit = 4 }, "00010 00009 00008 00007", true, "page 1")
  local second = same_page(ctx, names, { limit = 4, after = first[#first] },
    "00006 00005 00004 00003", true, "page 2")
  local third = same_page(ctx, names, { limit = 4, after = second[#second] }, "00002 00001",
    false, "page 3")
  same_page(ctx, names, { limit = 4, after = third[#third] }, "", false, "after the oldest")
  -- a page that ends exactly at the oldest says nothing follows
  local five = same_page(ctx, names, { limit = 5 }, "00010 00009 00008 00007 00006", true,
    "of 5")
  same_page(ctx, names, { limit = 5, after = five[5] }, "00005 00004 00003 00002 00001", false,
    "the rest of 5")
  -- the default page is 100, and a page reads the config's sessions once
  local scans = S.session_scans
  same_page(ctx, names, nil, "00010 00009 00008 00007 00006 00005 00004 00003 00002 00001",
    false, "default")
  H.eq(S.session_scans, scans + 1, "one scan")
  same_page(ctx, names, { limit = 1000 }, (page(ctx, names)), false, "1000")
end)

H.test("dates and states", function()
  local ctx, _, names = year()
  same_page(ctx, names, { states = { "closed" }, from_date = "2026-11-03",
                          to_date = "2026-11-06" }, "00006 00005 00004 00003", false, "closed")
  local ids = same_page(ctx, names, { states = { "closed" }, from_date = "2026-11-03",
                                      to_date = "2026-11-06", limit = 3 },
    "00006 00005 00004", true, "of 3")
  same_page(ctx, names, { states = { "closed" }, from_date = "2026-11-03",
                          to_date = "2026-11-06", limit = 3, after = ids[3] },
    "00003", false, "the rest")
  same_page(ctx, names, { states = { "in_progress" } }, "00010", false, "trading")
  same_page(ctx, names, { states = { "in_progress", "new" }, to_date = "2026-11-09" }, "",
    false, "none trading before")
  same_page(ctx, names, { states = { "closed", "in_progress" }, from_date = "2026-11-09" },
    "00010 00009", false, "two states")
  same_page(ctx, names, { from_date = "2026-11-05", to_date = "2026-11-05" }, "00005", false,
    "one day")
  same_page(ctx, names, { to_date = "2026-11-01" }, "00001", false, "up to the first")
  -- the cursor is a place among all the sessions, whatever the filter
  local newest = ctx:list_sessions_page(H.CONFIG_ID, { limit = 1 })
  same_page(ctx, names, { states = { "closed" }, after = newest[1], limit = 1 }, "00009", true,
    "cursor outside the filter")
end)

H.test("paging neither repeats nor skips a session created meanwhile", function()
  local ctx, _, names = year()
  local first = same_page(ctx, names, { limit = 4 }, "00010 00009 00008 00007", true, "page 1")
  close_empty(assert(ctx:load_session(first[1])))
  H.advance(1000)
  local s11 = assert(ctx:create_session(H.CONFIG_ID, H.alice,
                                        { operating_date = "2026-11-11" }))
  names[s11:id()] = "00011"
  local second = same_page(ctx, names, { limit = 4, after = first[4] },
    "00006 00005 00004 00003", true, "page 2")
  same_page(ctx, names, { limit = 4, after = second[4] }, "00002 00001", false, "page 3")
  same_page(ctx, names, { limit = 1 }, "00011", true, "newest now")
end)

H.test("refusals: cursor, limit, states, dates", function()
  local ctx, S, names = year()
  local before = H.dump(S)
  local msg = H.fails(E.NOTFOUND, "unknown cursor",
    ctx:list_sessions_page(H.CONFIG_ID, { after = NOBODY }))
  H.eq(msg, ("page cursor %s is not a session of config %s"):format(NOBODY, H.CONFIG_ID), "msg")
  for _, limit in ipairs({ 0, 1001, -1 }) do
    msg = H.fails(E.INVAL, "limit " .. limit,
      ctx:list_sessions_page(H.CONFIG_ID, { limit = limit }))
    H.eq(msg, ("a page holds 1 to 1000 sessions, not %d"):format(limit), "limit message")
  end
  local refusals = {
    { { after = "nope" }, "page cursor (after) 'nope' is not a UUID" },
    { { states = {} }, "the state mask selects no state" },
    { { from_date = "2026-11-09", to_date = "2026-11-02" },
      "from date 2026-11-09 is after to date 2026-11-02" },
  }
  for _, r in ipairs(refusals) do
    H.eq(H.fails(E.INVAL, r[2], ctx:list_sessions_page(H.CONFIG_ID, r[1])), r[2], r[2])
  end
  H.fails(E.INVAL, "bad date", ctx:list_sessions_page(H.CONFIG_ID, { from_date = "2026-13-01" }))
  H.same(H.dump(S), before, "refusals change nothing")
  -- another config's session is no place in this one's list
  H.save_config(ctx, { id = OTHER_CONFIG, code = "POS-0002", name = "Second register" })
  local other = assert(ctx:create_session(OTHER_CONFIG, H.alice))
  msg = H.fails(E.NOTFOUND, "other config",
    ctx:list_sessions_page(H.CONFIG_ID, { after = other:id() }))
  H.eq(msg, ("page cursor %s is not a session of config %s"):format(other:id(), H.CONFIG_ID),
    "other config")
  H.eq(ctx:list_sessions_page(OTHER_CONFIG)[1], other:id(), "its own list")
  -- programming errors raise
  H.raises("unknown session state 'trading'", function()
    ctx:list_sessions_page(H.CONFIG_ID, { states = { "trading" } })
  end)
  H.raises("session states are state names (strings), got a number", function()
    ctx:list_sessions_page(H.CONFIG_ID, { states = { 5 } })
  end)
  H.raises("session query: field 'states' must be a table, got string", function()
    ctx:list_sessions_page(H.CONFIG_ID, { states = "closed" })
  end)
  H.raises("session query: field 'limit' must be an integer, got float", function()
    ctx:list_sessions_page(H.CONFIG_ID, { limit = 4.0 })
  end)
  H.raises("session query: unknown field 'page_size'", function()
    ctx:list_sessions_page(H.CONFIG_ID, { page_size = 4 })
  end)
  H.raises("session query: field 'after' must be a string", function()
    ctx:list_sessions_page(H.CONFIG_ID, { after = 7 })
  end)
  -- list_sessions keeps reading its state list the same way
  H.eq(#ctx:list_sessions(H.CONFIG_ID, { "closed" }), 9, "closed")
  H.raises("unknown session state 'trading'", function()
    ctx:list_sessions(H.CONFIG_ID, { "trading" })
  end)
  H.eq(names[ctx:list_sessions(H.CONFIG_ID)[1]], "00001", "creation order")
end)

H.test("a session's orders by state, before and after its close", function()
  local ctx = H.context(p.memory_store())
  local s = H.open_session(ctx, 0)
  local ids = {}
  for i = 1, 6 do ids[i] = ("0000000e-0000-4000-8000-%012d"):format(i) end
  local function paid(id, product, method, amount)
    assert(s:submit(H.alice, { id = id, lines = { H.line(product, 1000, amount) },
                               payments = { { method = method, amount = amount } } }))
  end
  paid(ids[1], "tea", "Cash", 300)                                                -- 1 paid
  local draft = assert(s:create_order(H.alice, { id = ids[2],
                                                 lines = { H.line("tea", 1000, 300) } }))  -- 2
  paid(ids[3], "cake", "Voucher", 600)                                            -- 3 paid
  local gone = assert(s:create_order(H.alice, { id = ids[4],
                                                lines = { H.line("tea", 1000, 300) } }))   -- 4
  assert(gone:cancel(H.alice, "left"))
  local card = assert(s:create_order(H.alice, { id = ids[5],
                                                lines = { H.line("tea", 1000, 300) } }))   -- 5
  assert(card:add_payment(H.alice, { method = "Card", amount = 300 }))
  paid(ids[6], "bun", "Cash", 150)                                                -- 6 paid
  local function list(states) return table.concat(assert(s:list_orders(states)), " ") end
  local function of(...)
    local t = {}
    for i, n in ipairs({ ... }) do t[i] = ids[n] end
    return table.concat(t, " ")
  end
  H.eq(list(), of(1, 2, 3, 4, 5, 6), "all, by number")
  H.eq(list({ "paid" }), of(1, 3, 6), "paid")
  H.eq(list({ "draft" }), of(2, 5), "draft")
  H.eq(list({ "draft", "cancelled" }), of(2, 4, 5), "draft and cancelled")
  H.eq(list({ "done" }), "", "none done yet")
  assert(card:confirm_payment(H.alice, 1))
  assert(draft:cancel(H.alice, "changed their mind"))
  H.eq(list({ "paid" }), of(1, 3, 5, 6), "confirmed")
  H.eq(list({ "draft" }), "", "no draft")
  local stale = assert(ctx:load_session(s:id()))
  assert(s:start_closing(H.alice))
  assert(s:count(H.alice, { cash_total = 450, methods = { Card = 300, Voucher = 600 } }))
  assert(s:close(H.alice))
  H.eq(list({ "paid" }), "", "paid read as done once closed")
  H.eq(list({ "done" }), of(1, 3, 5, 6), "done")
  H.eq(list({ "cancelled" }), of(2, 4), "cancelled")
  H.eq(table.concat(assert(stale:list_orders({ "done" })), " "), of(1, 3, 5, 6),
    "a handle loaded before the close")
  H.eq(assert(s:load_order(ids[1])):state(), "done", "as the order reads")
  local msg = H.fails(E.INVAL, "no state", s:list_orders({}))
  H.eq(msg, "the state mask selects no order state", "empty list")
  H.raises("unknown order state 'open'", function() s:list_orders({ "open" }) end)
  H.raises("order states are state names (strings), got a boolean", function()
    s:list_orders({ true })
  end)
  H.raises("table expected", function() s:list_orders("paid") end)
  local fresh = assert(ctx:create_session(H.CONFIG_ID, H.alice))
  H.eq(#assert(fresh:list_orders()), 0, "a session without orders")
end)

H.done()
