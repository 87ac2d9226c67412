-- meta.lua: host metadata through the Lua binding (doc/lua.md, doc/concepts.md "Host
-- metadata"): JSON object text given at creation to a config, a session, an order (created,
-- submitted, in a batch) and a cash movement, read back byte for byte, set again, cleared,
-- and refused with the library's messages (no object, too long, not JSON, by role, after the
-- close), the store then unchanged.
local H = require "helper"
local p = H.p
local E = p.E

local SESSION_ID = "5e5510e0-0000-4000-8000-000000000001"
local ORDER_ID = "0000000e-0000-4000-8000-000000000001"
local DRAFT_ID = "0000000e-0000-4000-8000-000000000002"
local MOVE_ID = "0000000e-0000-4000-8000-000000000003"
local NOBODY = "0000000e-0000-4000-8000-000000000077"

-- Spaces, a decimal, an escape and 2-, 3- and 4-byte UTF-8: 74 characters in 81 bytes.
local BATCH = '{ "batch": "B-17", "n": 1.50, "q": "\\"x\\"", "été": [1, 2], "pain": "🥐 €" }'

local function setup()
  local S = H.lua_store_table()
  local ctx = H.context(p.lua_store(S))
  local cfg = H.save_config(ctx, { meta = '{"erp":"pos.config/7"}' })
  local s = assert(ctx:create_session(H.CONFIG_ID, H.alice, {
    id = SESSION_ID, operating_date = H.DATE, meta = '{"shift":"morning"}' }))
  assert(s:open(H.alice, { counted_cash = 0 }))
  return ctx, s, S, cfg
end

local function sale(id, meta)
  return { id = id, lines = { H.line("tea", 1000, 300) },
           payments = { { method = "Cash", amount = 300 } }, meta = meta }
end

local function refused(S, code, message, ...)
  local before = H.dump(S)
  local msg = H.fails(code, message, ...)
  H.eq(msg, message, "message")
  H.same(H.dump(S), before, message .. ": store unchanged")
end

H.test("given at creation, read back byte for byte", function()
  local ctx, s, S, cfg = setup()
  assert(s:submit(H.alice, sale(ORDER_ID, BATCH)))
  local draft = assert(s:create_order(H.alice, { id = DRAFT_ID, meta = "{}",
                                                 lines = { H.line("tea", 1000, 300) } }))
  assert(s:cash_move(H.alice, { kind = "in", amount = 1000, reason = "float", id = MOVE_ID,
                                meta = '{"bag":42}' }))
  local got = assert(assert(s:load_order(ORDER_ID)):meta())
  H.eq(got, BATCH, "order")
  H.eq(#got, 81, "bytes")
  H.eq(utf8.len(got), 74, "characters")
  H.eq(draft:meta(), "{}", "draft")
  H.eq(s:meta(), '{"shift":"morning"}', "session")
  H.eq(cfg:meta(), '{"erp":"pos.config/7"}', "config")
  H.eq(assert(ctx:load_config(H.CONFIG_ID)):meta(), '{"erp":"pos.config/7"}', "loaded config")
  H.eq(ctx:get_meta("movement", MOVE_ID), '{"bag":42}', "movement")
  H.eq(ctx:get_meta("order", ORDER_ID), BATCH, "by the context")
  H.eq(ctx:get_meta("session", SESSION_ID), '{"shift":"morning"}', "session by the context")
  -- none: one nil, not a failure
  H.eq(select("#", ctx:get_meta("order", NOBODY)), 1, "nil alone")
  H.eq(ctx:get_meta("order", NOBODY), nil, "unknown owner")
  local plain = assert(s:create_order(H.alice, { lines = { H.line("tea", 1000, 300) } }))
  H.eq(plain:meta(), nil, "an order without")
  local unsaved = assert(ctx:new_config(H.config_table({
    id = "0c0f1a00-0000-4000-8000-000000000002", code = "POS-0002", name = "Second register",
    meta = '{"erp":2}' })))
  H.eq(unsaved:meta(), nil, "written with the first save")
  assert(unsaved:save(H.mia))
  H.eq(unsaved:meta(), '{"erp":2}', "saved")
  -- beside its owner, never in it
  local rec = S.records["meta\0order/" .. ORDER_ID]
  H.eq(rec.parent, ORDER_ID, "parent")
  H.ok(not S.records["session\0" .. SESSION_ID].payload:find("morning", 1, true), "own record")
  -- a resubmit with other metadata is a duplicate and keeps what it had
  local again = assert(s:submit(H.alice, sale(ORDER_ID, '{"batch":"B-18"}')))
  H.eq(again.duplicate, true, "duplicate")
  H.eq(ctx:get_meta("order", ORDER_ID), BATCH, "kept")
end)

H.test("in a batch each order keeps its own; a bad one is refused alone", function()
  local ctx, s = setup()
  local ids = {}
  for i = 1, 3 do ids[i] = ("0000000e-0000-4000-8000-%012d"):format(10 + i) end
  local results, accepted = assert(s:submit_batch(H.alice, {
    sale(ids[1], '{"erp":"pos.order/4711"}'), sale(ids[2], "[1, 2]"), sale(ids[3]) }))
  H.eq(accepted, 2, "accepted")
  H.eq(results[1].status, 0, "first")
  H.eq(results[2].status, E.INVAL, "refused alone")
  H.eq(results[3].status, 0, "third")
  H.eq(ctx:get_meta("order", ids[1]), '{"erp":"pos.order/4711"}', "its own")
  H.eq(ctx:get_meta("order", ids[3]), nil, "none")
  H.eq(table.concat(s:list_orders(), " "), ids[1] .. " " .. ids[3], "recorded")
end)

H.test("set again, cleared, audited", function()
  local ctx, s, _, cfg = setup()
  assert(s:submit(H.alice, sale(ORDER_ID, BATCH)))
  assert(s:cash_move(H.alice, { kind = "in", amount = 1000, reason = "float", id = MOVE_ID,
                                meta = '{"bag":42}' }))
  local o = assert(s:load_order(ORDER_ID))
  H.eq(o:set_meta(H.bob, '{"batch":"B-19"}'), true, "set")
  H.eq(o:meta(), '{"batch":"B-19"}', "order set")
  assert(ctx:set_meta(H.alice, "movement", MOVE_ID, nil))
  H.eq(ctx:get_meta("movement", MOVE_ID), nil, "cleared")
  assert(ctx:set_meta(H.alice, "movement", MOVE_ID, '{ "bag" : 43 }'))
  H.eq(ctx:get_meta("movement", MOVE_ID), '{ "bag" : 43 }', "set where cleared")
  assert(s:set_meta(H.alice, '{"shift":"late"}'))
  H.eq(s:meta(), '{"shift":"late"}', "session set")
  assert(s:set_meta(H.alice))
  H.eq(s:meta(), nil, "session cleared")
  assert(cfg:set_meta(H.mia, '{"erp":8}'))
  H.eq(cfg:meta(), '{"erp":8}', "config set")
  local sets = {}
  for _, r in ipairs(ctx:audit(SESSION_ID)) do
    if r.action == "meta.set" then
      sets[#sets + 1] = r.user .. " " .. r.json:match('"extra":{"owner":"(%a+)"')
    end
  end
  H.eq(table.concat(sets, ", "), "bob order, alice movement, alice movement, alice session, "
    .. "alice session", "audited under the session")
  local config_sets = 0
  for _, r in ipairs(ctx:audit(H.CONFIG_ID)) do
    if r.action == "meta.set" then config_sets = config_sets + 1 end
  end
  H.eq(config_sets, 1, "the config's")
end)

H.test("refused: no object, too long, not JSON, by role, unknown", function()
  local ctx, s, S, cfg = setup()
  assert(s:submit(H.alice, sale(ORDER_ID, BATCH)))
  local o = assert(s:load_order(ORDER_ID))
  refused(S, E.INVAL, "order meta is not a JSON object", o:set_meta(H.alice, "[1, 2]"))
  refused(S, E.INVAL, "order meta is not a JSON object", o:set_meta(H.alice, '"batch"'))
  refused(S, E.INVAL, "order meta is not a JSON object",
    s:create_order(H.alice, { lines = { H.line("tea", 1000, 300) }, meta = "[]" }))
  refused(S, E.INVAL, "order meta is not a JSON object", s:submit(H.alice, sale(DRAFT_ID, "null")))
  refused(S, E.INVAL, "session meta is not a JSON object",
    ctx:create_session(H.CONFIG_ID, H.bob, { meta = "42" }))
  refused(S, E.INVAL, "movement meta is not a JSON object",
    s:cash_move(H.alice, { kind = "in", amount = 100, reason = "float", meta = "[]" }))
  H.eq(select(2, ctx:new_config(H.config_table({ meta = "true" }))),
    "config meta is not a JSON object", "config")
  local big = "{" .. (" "):rep(4095) .. "}"
  refused(S, E.INVAL, "order meta is 4097 bytes; at most 4096", o:set_meta(H.alice, big))
  refused(S, E.INVAL, "order meta is 4098 bytes; at most 4096",
    o:set_meta(H.alice, '{"x":"' .. ("é"):rep(2045) .. '"}'))
  assert(o:set_meta(H.alice, big:sub(1, 4095) .. "}"))
  H.eq(o:meta(), big:sub(1, 4095) .. "}", "4096 bytes taken")
  refused(S, E.INVAL, "session meta is not valid JSON: '}' expected near end of file (at byte 6)",
    s:set_meta(H.alice, '{"a":1'))
  refused(S, E.INVAL, "session meta is not valid JSON: duplicate object key near '\"a\"' (at "
    .. "byte 10)", s:set_meta(H.alice, '{"a":1,"a":2}'))
  refused(S, E.INVAL, "session meta is not valid JSON: unable to decode byte 0xff near '\"' "
    .. "(at byte 6)", s:set_meta(H.alice, '{"a":"\xff"}'))
  refused(S, E.ACCESS, "alice (cashier) may not set metadata: it takes a manager",
    cfg:set_meta(H.alice, "{}"))
  refused(S, E.ACCESS, "eve (none) may not set metadata: it takes a cashier",
    ctx:set_meta({ user = "eve", role = "none", device = "kiosk" }, "order", ORDER_ID, "{}"))
  refused(S, E.NOTFOUND, "order " .. NOBODY .. " is not in the store",
    ctx:set_meta(H.alice, "order", NOBODY, "{}"))
  refused(S, E.INVAL, "order id 'not-an-id' is not a UUID",
    ctx:set_meta(H.alice, "order", "not-an-id", "{}"))
  H.eq(s:meta(), '{"shift":"morning"}', "unchanged")
  -- programming errors raise
  H.raises("invalid option 'till'", function() ctx:get_meta("till", ORDER_ID) end)
  H.raises("meta: JSON text or nil expected, got table", function()
    o:set_meta(H.alice, { batch = "B-1" })
  end)
  H.raises("order: field 'meta' must be a string, got table", function()
    s:create_order(H.alice, { lines = { H.line("tea", 1000, 300) }, meta = { a = 1 } })
  end)
  H.raises("session options: field 'meta' must be a string", function()
    ctx:create_session(H.CONFIG_ID, H.bob, { meta = 1 })
  end)
  H.raises("cash movement: field 'meta' must be a string", function()
    s:cash_move(H.alice, { kind = "in", amount = 100, reason = "float", meta = true })
  end)
end)

H.test("once the session closed its metadata no longer changes; the config's does", function()
  local ctx, s, S, cfg = setup()
  assert(s:submit(H.alice, sale(ORDER_ID, BATCH)))
  assert(s:cash_move(H.alice, { kind = "in", amount = 1000, reason = "float", id = MOVE_ID,
                                meta = '{"bag":42}' }))
  assert(s:start_closing(H.alice))
  assert(s:count(H.alice, { cash_total = 1300 }))
  assert(s:close(H.alice))
  local closed = "session POS-0001/00001 is closed: the metadata of %s %s no longer changes"
  refused(S, E.CLOSED, closed:format("order", ORDER_ID),
    assert(s:load_order(ORDER_ID)):set_meta(H.mia, "{}"))
  refused(S, E.CLOSED, closed:format("session", SESSION_ID), s:set_meta(H.ada, nil))
  refused(S, E.CLOSED, closed:format("movement", MOVE_ID),
    ctx:set_meta(H.mia, "movement", MOVE_ID, '{"bag":43}'))
  H.eq(ctx:get_meta("order", ORDER_ID), BATCH, "still readable")
  H.eq(s:meta(), '{"shift":"morning"}', "session's")
  assert(cfg:set_meta(H.ada, '{"erp":9}'))
  H.eq(cfg:meta(), '{"erp":9}', "config's")
end)

H.done()
