"""Host metadata through the binding (doc/concepts.md, "Host metadata"): given at creation to
a config, a session, an order (created or submitted, alone or in a batch) and a cash
movement, as JSON text kept byte for byte or as a dict made into JSON with its keys in their
order; read back, set again, cleared; refused with the library's messages when it is no JSON
object, too long, or its session closed, and the store then unchanged."""

import json
import unittest
from decimal import Decimal

import possession
from possession import MetaOwner, Payment
from helpers import (ADA, ALICE, BOB, CONFIG_ID, DATE, MIA, Actor, Clock, DictStore,
                     config_fields, croissants, saved_config)

SESSION_ID = "5e5510e0-0000-4000-8000-000000000001"
ORDER_ID = "0000000e-0000-4000-8000-000000000001"
DRAFT_ID = "0000000e-0000-4000-8000-000000000002"
MOVE_ID = "0000000e-0000-4000-8000-000000000003"
NOBODY = "0000000e-0000-4000-8000-000000000077"

# Spaces, a decimal that float would shorten, an escape, non-ASCII keys and values (two-,
# three- and four-byte UTF-8): all of it comes back exactly as given.
BATCH = '{ "batch": "B-17", "n": 1.50, "q": "\\"x\\"", "été": [1, 2], "pain": "🥐 €" }'


class Base(unittest.TestCase):
    def setUp(self):
        self.store = DictStore()
        self.ctx = possession.Context(self.store, clock=Clock())
        self.config = saved_config(self.ctx, meta={"erp": "pos.config/7"})
        self.s = self.ctx.create_session(CONFIG_ID, ALICE, id=SESSION_ID, operating_date=DATE,
                                         meta='{"shift":"morning"}')
        self.s.open(ALICE, "0.00")

    def refused(self, cls, message, fn, *args, **kwargs):
        """fn raises exactly cls with the message, and the store is as it was."""
        before = self.store.content()
        with self.assertRaises(cls) as caught:
            fn(*args, **kwargs)
        e = caught.exception
        self.assertIs(type(e), cls)
        self.assertEqual(e.detail, message)
        self.assertEqual(str(e), message)
        self.assertEqual(self.store.content(), before)
        return e

    def sale(self, id=ORDER_ID, **kw):
        return self.s.submit(ALICE, id, [croissants()], [Payment("Cash", "3.00")], **kw)


class GivenAtCreation(Base):
    def test_text_comes_back_byte_for_byte(self):
        self.sale(meta=BATCH)
        draft = self.s.create_order(ALICE, [croissants()], id=DRAFT_ID, meta="{}")
        self.s.cash_in(ALICE, "10.00", "float", id=MOVE_ID, meta='{"bag":42}')
        got = self.s.load_order(ORDER_ID).get_meta()
        self.assertEqual(got, BATCH)
        self.assertEqual(got.encode("utf-8"), BATCH.encode("utf-8"))
        self.assertEqual((len(got), len(got.encode("utf-8"))), (74, 81))
        self.assertEqual(draft.get_meta(), "{}")
        self.assertEqual(self.s.get_meta(), '{"shift":"morning"}')
        self.assertEqual(self.config.get_meta(), '{"erp":"pos.config/7"}')
        self.assertEqual(self.ctx.load_config(CONFIG_ID).get_meta(), '{"erp":"pos.config/7"}')
        self.assertEqual(self.ctx.get_meta(MetaOwner.MOVEMENT, MOVE_ID), '{"bag":42}')
        movement = self.s.cash_movements()[0]
        self.assertEqual(self.ctx.get_meta("movement", movement), '{"bag":42}')
        # parsed, the keys in their order and the decimal as json reads it
        parsed = self.ctx.get_meta(MetaOwner.ORDER, ORDER_ID, parse=True)
        self.assertEqual(list(parsed), ["batch", "n", "q", "été", "pain"])
        self.assertEqual(parsed["été"], [1, 2])
        self.assertEqual(parsed["pain"], "🥐 €")
        self.assertEqual(parsed["q"], '"x"')
        # an owner without metadata, and one the store does not hold, have none
        self.assertIsNone(self.ctx.get_meta(MetaOwner.SESSION, NOBODY))
        self.assertIsNone(self.ctx.get_meta("order", NOBODY, parse=True))
        plain = self.s.create_order(ALICE, [croissants()])
        self.assertIsNone(plain.get_meta())
        # kept in a record of its own beside its owner; the owner's record does not carry it
        record = self.store.records[("meta", "order/" + ORDER_ID)]
        self.assertEqual(record.parent, ORDER_ID)
        self.assertEqual(json.loads(record.payload)["meta"], BATCH)
        self.assertNotIn("morning", self.store.records[("session", SESSION_ID)].payload)

    def test_a_dict_becomes_compact_json_in_its_key_order(self):
        meta = {"z": 1, "a": "é", "n": None, "list": [True, 1.5], "nested": {"b": 2, "a": 1}}
        o = self.s.create_order(ALICE, [croissants()], meta=meta)
        text = '{"z":1,"a":"é","n":null,"list":[true,1.5],"nested":{"b":2,"a":1}}'
        self.assertEqual(o.get_meta(), text)
        self.assertEqual(o.get_meta(parse=True), meta)
        self.assertEqual(list(o.get_meta(parse=True)), ["z", "a", "n", "list", "nested"])
        self.s.cash_in(ALICE, "5.00", "float")
        mid = self.s.expense(ALICE, "1.00", "stamps", meta={"receipt": "R-9"})
        self.assertEqual(self.ctx.get_meta(MetaOwner.MOVEMENT, mid), '{"receipt":"R-9"}')
        c2 = self.ctx.new_config(dict(saved_fields(), meta={"erp": 2}))
        self.assertIsNone(c2.get_meta())  # written with the first save
        c2.save(MIA)
        self.assertEqual(c2.get_meta(), '{"erp":2}')
        s2 = self.ctx.create_session(c2, BOB, meta={"till": 2})
        self.assertEqual(s2.get_meta(), '{"till":2}')

    def test_metadata_is_not_part_of_an_order(self):
        self.sale(meta=BATCH)
        again = self.sale(meta='{"batch":"B-18"}')
        self.assertTrue(again.duplicate)
        self.assertEqual(self.ctx.get_meta(MetaOwner.ORDER, ORDER_ID), BATCH)

    def test_in_a_batch_each_order_keeps_its_own_and_a_bad_one_is_refused_alone(self):
        ids = ["0000000e-0000-4000-8000-00000000001%d" % n for n in range(4)]
        orders = [dict(id=ids[0], lines=[croissants()], payments=[Payment("Cash", "3.00")],
                       meta={"erp": "pos.order/4711"}),
                  dict(id=ids[1], lines=[croissants()], payments=[Payment("Cash", "3.00")],
                       meta={"x": float("nan")}),
                  dict(id=ids[2], lines=[croissants()], payments=[Payment("Cash", "3.00")],
                       meta="[1, 2]"),
                  dict(id=ids[3], lines=[croissants()], payments=[Payment("Cash", "3.00")])]
        accepted, results = self.s.submit_batch(ALICE, orders)
        self.assertEqual(accepted, 2)
        self.assertEqual([r.status for r in results], [0, -1, -1, 0])
        self.assertTrue(results[1].detail.startswith("order meta is not valid JSON: "),
                        results[1].detail)
        self.assertEqual(results[1].order_id, ids[1])
        self.assertIsInstance(results[2].error, possession.InvalidError)
        self.assertEqual(self.ctx.get_meta(MetaOwner.ORDER, ids[0]), '{"erp":"pos.order/4711"}')
        self.assertIsNone(self.ctx.get_meta(MetaOwner.ORDER, ids[3]))
        self.assertEqual(self.s.order_ids(), [ids[0], ids[3]])
        # a dict json cannot write at all is the caller's mistake: the whole batch raises
        with self.assertRaisesRegex(TypeError, "order meta must be JSON-serializable"):
            self.s.submit_batch(ALICE, [dict(orders[3], id=ids[1], meta={"n": Decimal("1")})])


def saved_fields():
    """A second register's fields."""
    return config_fields(id="0c0f1a00-0000-4000-8000-000000000002", code="POS-0002",
                         name="Second register")


class SetAgain(Base):
    def test_set_again_and_cleared(self):
        self.sale(meta=BATCH)
        self.s.cash_in(ALICE, "10.00", "float", id=MOVE_ID, meta='{"bag":42}')
        o = self.s.load_order(ORDER_ID)
        o.set_meta(BOB, '{"batch":"B-19"}')
        self.assertEqual(o.get_meta(), '{"batch":"B-19"}')
        o.set_meta(BOB, {"batch": "B-20", "été": 1})
        self.assertEqual(o.get_meta(), '{"batch":"B-20","été":1}')
        self.ctx.set_meta(ALICE, MetaOwner.MOVEMENT, MOVE_ID, None)
        self.assertIsNone(self.ctx.get_meta(MetaOwner.MOVEMENT, MOVE_ID))
        self.assertIsNone(self.ctx.get_meta(MetaOwner.MOVEMENT, MOVE_ID, parse=True))
        self.ctx.set_meta(ALICE, "movement", MOVE_ID, '{ "bag" : 43 }')
        self.assertEqual(self.ctx.get_meta(MetaOwner.MOVEMENT, MOVE_ID), '{ "bag" : 43 }')
        self.s.set_meta(ALICE, '{"shift":"late"}')
        self.assertEqual(self.s.get_meta(), '{"shift":"late"}')
        self.s.set_meta(ALICE, None)
        self.assertIsNone(self.s.get_meta())
        self.config.set_meta(MIA, '{"erp":8}')
        self.assertEqual(self.config.get_meta(), '{"erp":8}')
        # set on an owner that had none
        draft = self.s.create_order(ALICE, [croissants()], id=DRAFT_ID)
        draft.set_meta(ALICE, BATCH)
        self.assertEqual(draft.get_meta(), BATCH)
        # audited under the session, with the owner in extra
        sets = [r for r in self.s.audit() if r.action == "meta.set"]
        self.assertEqual([(r.user, json.loads(r.json)["extra"]) for r in sets],
                         [("bob", {"owner": "order", "id": ORDER_ID}),
                          ("bob", {"owner": "order", "id": ORDER_ID}),
                          ("alice", {"owner": "movement", "id": MOVE_ID}),
                          ("alice", {"owner": "movement", "id": MOVE_ID}),
                          ("alice", {"owner": "session", "id": SESSION_ID}),
                          ("alice", {"owner": "session", "id": SESSION_ID}),
                          ("alice", {"owner": "order", "id": DRAFT_ID})])
        config_sets = [r for r in self.ctx.audit(CONFIG_ID) if r.action == "meta.set"]
        self.assertEqual([(r.user, r.session_id) for r in config_sets], [("mia", "")])


class Refused(Base):
    def test_not_an_object_too_long_not_json(self):
        self.sale(meta=BATCH)
        o = self.s.load_order(ORDER_ID)
        invalid = possession.InvalidError
        self.refused(invalid, "order meta is not a JSON object", o.set_meta, ALICE, "[1, 2]")
        self.refused(invalid, "order meta is not a JSON object", o.set_meta, ALICE, '"batch"')
        self.refused(invalid, "order meta is not a JSON object", self.s.create_order, ALICE,
                     [croissants()], meta="[]")
        self.refused(invalid, "order meta is not a JSON object", self.sale,
                     id=DRAFT_ID, meta="null")
        self.refused(invalid, "session meta is not a JSON object", self.ctx.create_session,
                     CONFIG_ID, BOB, meta="42")
        self.refused(invalid, "movement meta is not a JSON object", self.s.cash_in, ALICE,
                     "1.00", "float", meta="[]")
        self.refused(invalid, "config meta is not a JSON object", self.ctx.new_config,
                     saved_fields(), meta="true")
        big = "{" + " " * 4095 + "}"
        self.refused(invalid, "order meta is 4097 bytes; at most 4096", o.set_meta, ALICE, big)
        # the limit counts UTF-8 bytes: these 2053 characters are 4098 bytes
        self.refused(invalid, "order meta is 4098 bytes; at most 4096", o.set_meta, ALICE,
                     '{"x":"' + "é" * 2045 + '"}')
        o.set_meta(ALICE, big[:4095] + "}")
        self.assertEqual(o.get_meta(), big[:4095] + "}")
        self.refused(invalid, "session meta is not valid JSON: '}' expected near end of file "
                     "(at byte 6)", self.s.set_meta, ALICE, '{"a":1')
        self.refused(invalid, "session meta is not valid JSON: duplicate object key near "
                     "'\"a\"' (at byte 10)", self.s.set_meta, ALICE, '{"a":1,"a":2}')
        self.refused(invalid, "session meta contains a NUL character", self.s.set_meta, ALICE,
                     '{"a":"\0"}')
        with self.assertRaises(possession.InvalidError) as caught:
            self.s.set_meta(ALICE, {"x": float("inf")})
        self.assertTrue(caught.exception.detail.startswith(
            "session meta is not valid JSON: Out of range float values"), caught.exception)
        self.assertEqual(self.s.get_meta(), '{"shift":"morning"}')
        with self.assertRaisesRegex(TypeError, "order meta must be a dict, a str of JSON text "
                                    "or None, not list"):
            o.set_meta(ALICE, [1, 2])
        with self.assertRaisesRegex(TypeError, "session meta must be JSON-serializable: Object "
                                    "of type Decimal is not JSON serializable"):
            self.ctx.create_session(CONFIG_ID, BOB, meta={"n": Decimal("1.50")})
        self.assertEqual(self.s.get_meta(), '{"shift":"morning"}')

    def test_who_and_what(self):
        self.sale(meta=BATCH)
        self.refused(possession.AccessDeniedError,
                     "alice (cashier) may not set metadata: it takes a manager",
                     self.config.set_meta, ALICE, "{}")
        self.refused(possession.AccessDeniedError,
                     "eve (none) may not set metadata: it takes a cashier",
                     self.ctx.set_meta, Actor("eve", "none", "kiosk"), MetaOwner.ORDER,
                     ORDER_ID, "{}")
        self.refused(possession.NotFoundError, "order %s is not in the store" % NOBODY,
                     self.ctx.set_meta, ALICE, MetaOwner.ORDER, NOBODY, "{}")
        self.refused(possession.InvalidError, "order id 'not-an-id' is not a UUID",
                     self.ctx.set_meta, ALICE, "order", "not-an-id", "{}")
        with self.assertRaises(ValueError):
            self.ctx.get_meta(9, ORDER_ID)

    def test_closed(self):
        self.sale(meta=BATCH)
        self.s.cash_in(ALICE, "10.00", "float", id=MOVE_ID, meta='{"bag":42}')
        self.s.start_closing(ALICE)
        self.s.count(ALICE, "13.00")
        self.s.close(ALICE)
        closed = "session POS-0001/00001 is closed: the metadata of %s %s no longer changes"
        self.refused(possession.ClosedError, closed % ("order", ORDER_ID),
                     self.s.load_order(ORDER_ID).set_meta, MIA, "{}")
        self.refused(possession.ClosedError, closed % ("session", SESSION_ID),
                     self.s.set_meta, ADA, None)
        self.refused(possession.ClosedError, closed % ("movement", MOVE_ID),
                     self.ctx.set_meta, MIA, MetaOwner.MOVEMENT, MOVE_ID, '{"bag":43}')
        # what was set stays readable, and the config's still changes
        self.assertEqual(self.ctx.get_meta(MetaOwner.ORDER, ORDER_ID), BATCH)
        self.assertEqual(self.s.get_meta(), '{"shift":"morning"}')
        self.config.set_meta(ADA, '{"erp":9}')
        self.assertEqual(self.config.get_meta(), '{"erp":9}')


if __name__ == "__main__":
    unittest.main()
