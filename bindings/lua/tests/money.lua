-- money.lua: money is Lua integers in minor units. Parsing and formatting are exact and
-- follow the config's currency; floats (even 12.0) and strings are refused by raising;
-- checked arithmetic reports overflow as nil, message, E.OVERFLOW; ids and error codes.
local H = require "helper"
local p = H.p
local E = p.E
local money = p.money

local ctx = H.context(p.memory_store())
local eur = assert(ctx:new_config(H.config_table()))
local jpy = assert(ctx:new_config(H.config_table({ id = "0c0f1a00-0000-4000-8000-000000000002",
                                                   currency = "JPY", currency_exponent = 0 })))

H.test("parse: exact, in the currency's minor units", function()
  H.eq(money.parse("12.34", eur), 1234, "EUR")
  H.eq(money.parse("-150.00", eur), -15000, "negative")
  H.eq(money.parse("12.340", eur), 1234, "trailing zero")
  H.eq(money.parse("1200", jpy), 1200, "JPY")
  H.eq(money.parse("0.0001", 4), 1, "exponent given as an integer")
  H.eq(math.type(money.parse("12.34", eur)), "integer", "an integer")
end)

H.test("parse: malformed or too precise text is INVAL, too large OVERFLOW", function()
  local msg = H.fails(E.INVAL, "12.345", money.parse("12.345", eur))
  H.ok(msg:find("'12.345'", 1, true), msg)
  H.fails(E.INVAL, "1,5", money.parse("1,5", eur))
  H.fails(E.INVAL, "12.5 yen", money.parse("12.5", jpy))
  H.fails(E.INVAL, "empty", money.parse("", eur))
  H.fails(E.OVERFLOW, "huge", money.parse("99999999999999999999", eur))
end)

H.test("format: the currency's decimals", function()
  H.eq(money.format(1234, eur), "12.34", "EUR")
  H.eq(money.format(-15000, eur), "-150.00", "negative")
  H.eq(money.format(5, eur), "0.05", "cents")
  H.eq(money.format(1200, jpy), "1200", "JPY")
  H.eq(money.format(math.mininteger, 2), "-92233720368547758.08", "the smallest")
end)

H.test("a session stands for its config's currency", function()
  local c2 = H.context(p.memory_store())
  local s = H.open_session(c2, 0)
  H.eq(money.format(250, s), "2.50", "format")
  H.eq(money.parse("2.50", s), 250, "parse")
end)

H.test("floats and strings where money is expected raise", function()
  H.raises("amount in minor units: integer expected, got float", function()
    money.format(12.5, eur)
  end)
  H.raises("integer expected, got float", function() money.format(12.0, eur) end)
  H.raises("integer expected, got string", function() money.format("1234", eur) end)
  H.raises("integer expected, got float", function() money.add(1, 2.0) end)
  H.raises("config, session or exponent expected", function() money.parse("1", "EUR") end)
  H.raises("exponent: integer expected, got float", function() money.parse("1", 2.0) end)
end)

H.test("checked arithmetic", function()
  H.eq(money.add(1250, -300), 950, "add")
  H.eq(money.sub(100, 250), -150, "sub")
  H.eq(money.mul(250, 4), 1000, "mul")
  H.fails(E.OVERFLOW, "add", money.add(math.maxinteger, 1))
  H.fails(E.OVERFLOW, "sub", money.sub(math.mininteger, 1))
  H.fails(E.OVERFLOW, "mul", money.mul(math.maxinteger, 2))
  H.eq(money.scale(1000, 1, 3), 333, "a third")
  H.eq(money.scale(5, 1, 2), 3, "half up")
  H.eq(money.scale(5, 1, 2, "half_even"), 2, "half even")
  H.eq(money.scale(-5, 1, 2, "up"), -3, "up is away from zero")
  H.eq(money.scale(29, 1, 10, "down"), 2, "down")
  H.fails(E.INVAL, "zero denominator", money.scale(1, 1, 0))
  H.eq(money.round_to(1234, 5), 1235, "to 0.05")
  H.eq(money.round_to(1232, 5, "down"), 1230, "down to 0.05")
  H.raises("invalid option 'sideways'", function() money.round_to(1, 5, "sideways") end)
end)

H.test("ids", function()
  local id = p.id.generate()
  -- version 7 (time-ordered), RFC 9562's variant
  H.ok(id:match("^%x%x%x%x%x%x%x%x%-%x%x%x%x%-7%x%x%x%-[89ab]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$"),
    id)
  H.ok(p.id.generate() ~= id, "different")
  H.eq(p.id.normalize("6F1C2B7E-3A4D-4C5E-9F10-112233445566"),
    "6f1c2b7e-3a4d-4c5e-9f10-112233445566", "lower case")
  H.fails(E.INVAL, "not a uuid", p.id.normalize("till-1"))
end)

H.test("error codes and names", function()
  H.eq(E.INVAL, -1, "INVAL")
  H.eq(E.LIMIT, -13, "LIMIT")
  H.eq(E.CORRUPT, -15, "CORRUPT")
  H.eq(E.IO, -23, "IO")
  H.eq(E.DRAWER, -24, "DRAWER")
  local n = 0
  for name, code in pairs(E) do
    n = n + 1
    H.ok(name:match("^%u+$") and math.type(code) == "integer" and code < 0, name)
    H.ok(p.strerror(code) ~= "unknown error", name)
  end
  H.eq(n, 24, "every code")
  H.eq(p.strerror(E.LIMIT), "cash difference beyond the allowed limit", "strerror")
  H.eq(p.strerror(0), "success", "ok")
  H.ok(p.version:match("^%d+%.%d+%.%d+$"), p.version)
end)

H.done()
