-- fiscal.lua: the fiscal chain through the Lua binding (doc/fiscal.md, doc/lua.md): a
-- shift's four events verify, the archive holds its manifest and events, and an event
-- altered in a Lua store is found at its seq, answered (whole = false) rather than failed.
local H = require "helper"
local p = H.p

local function shift()
  local S = H.lua_store_table()
  local ctx = H.context(p.lua_store(S))
  local s = H.open_session(ctx, 1000)
  assert(s:cash_move(H.alice, { kind = "in", amount = 250, reason = "float" }))
  assert(s:start_closing(H.alice))
  assert(s:count(H.alice, { cash_total = 1250 }))
  assert(s:close(H.alice))
  return S, ctx
end

H.test("a shift's events verify", function()
  local _, ctx = shift()
  local v = assert(ctx:fiscal_verify(H.CONFIG_ID))
  H.eq(v.whole, true, "whole")
  H.eq(v.events, 4, "open, cash in, count, close")
  H.eq(v.first_bad_seq, 0, "no break")
  H.eq(v.problem, "whole", "problem")
  H.eq(#v.head_hash, 64, "head hash")
  H.eq(v.detail, "", "detail")
  H.eq(v.unsigned_events, 4, "no signer: every event unsigned")
end)

H.test("the archive", function()
  local _, ctx = shift()
  local text = assert(ctx:fiscal_archive(H.CONFIG_ID))
  local lines = {}
  for line in text:gmatch("[^\n]+") do lines[#lines + 1] = line end
  H.eq(#lines, 5, "a manifest and four events")
  H.ok(lines[1]:find('^{"pss_fiscal_archive":1,"config":"' .. H.CONFIG_ID:gsub("%-", "%%-")
                     .. '","genesis":"') ~= nil, "the manifest first")
  H.ok(lines[1]:find('"first_seq":1,"last_seq":4,"events":4,', 1, true) ~= nil, "its period")
  H.ok(lines[3]:find('^{"seq":2,"prev":"') ~= nil, "event 2")
  H.ok(lines[3]:find("\\nextra.amount=250\\n", 1, true) ~= nil, "the cash in's amount")
  local period = assert(ctx:fiscal_archive(H.CONFIG_ID, 2, 3))
  H.eq(select(2, period:gsub("\n", "")), 3, "a period: a manifest and two events")
  H.fails(p.E.INVAL, "a period beyond the head", ctx:fiscal_archive(H.CONFIG_ID, 3, 9))
end)

H.test("an altered event is found at its seq", function()
  local S, ctx = shift()
  local key = "fiscal\0" .. H.CONFIG_ID .. ":00000000000000000002"
  local r = assert(S.records[key], "event 2 is a record of the store")
  r.payload = r.payload:gsub("extra%.amount=250", "extra.amount=2500")
  local v = assert(ctx:fiscal_verify(H.CONFIG_ID))
  H.eq(v.whole, false, "not whole")
  H.eq(v.first_bad_seq, 2, "at event 2")
  H.eq(v.problem, "changed", "changed")
  H.eq(v.events, 1, "one before it verifies")
  H.ok(v.detail:find("breaks at event 2 (changed", 1, true) ~= nil, v.detail)
  H.fails(p.E.CORRUPT, "no archive of a broken chain", ctx:fiscal_archive(H.CONFIG_ID))
end)

-- A signer for the test: its "signature" is the hash reversed (a real one is a TSE, an HSM
-- or a key); it declines while offline and raises when told to.
H.test("a signer written in Lua", function()
  local S = H.lua_store_table()
  local ctx = H.context(p.lua_store(S))
  local state = { offline = false, raise = false }
  local signer = {
    sign = function(hash)
      if state.raise then error("device unplugged") end
      if state.offline then return nil end
      return hash:reverse(), "rev-1"
    end,
    check = function(hash, sig, key) return key == "rev-1" and sig == hash:reverse() end,
  }
  H.eq(ctx:set_signer(signer), true, "set")
  local s = H.open_session(ctx, 1000)                          -- 1, signed
  state.offline = true
  assert(s:cash_move(H.alice, { kind = "in", amount = 100, reason = "float" }))  -- 2, unsigned
  state.offline, state.raise = false, true
  assert(s:cash_move(H.alice, { kind = "in", amount = 200, reason = "float" }))  -- 3, unsigned
  state.raise = false
  local v = assert(ctx:fiscal_verify(H.CONFIG_ID))
  H.eq(v.events, 3, "three events")
  H.eq(v.unsigned_events, 2, "two unsigned, the calls having succeeded")
  H.eq(assert(ctx:fiscal_resign(H.CONFIG_ID)), 2, "the backlog signed")
  H.eq(assert(ctx:fiscal_verify(H.CONFIG_ID)).unsigned_events, 0, "none left")
  local key = "fiscal\0" .. H.CONFIG_ID .. ":00000000000000000002"
  local r = S.records[key]
  H.ok(r.payload:find('"key":"rev-1"', 1, true) ~= nil, r.payload)
  r.payload = r.payload:gsub('"sig":"(%x)', function(d) return '"sig":"' .. (d == "0" and "1" or "0") end)
  v = assert(ctx:fiscal_verify(H.CONFIG_ID))
  H.eq(v.first_bad_seq, 2, "the altered signature, at 2")
  H.eq(v.problem, "bad signature", "bad signature")
  H.raises("a signer has a sign function", function() ctx:set_signer({}) end, "no sign")
  H.eq(ctx:set_signer(nil), true, "removed")
  H.fails(p.E.STATE, "no signer to resign with", ctx:fiscal_resign(H.CONFIG_ID))
end)

H.done()
