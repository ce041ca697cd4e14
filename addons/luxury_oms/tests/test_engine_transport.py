import json
import unittest
import xmlrpc.client

from ..engine.api_payload import format_path
from ..engine.transport import XML_MARK
from ..engine.transport import json_nesting_path
from ..engine.transport import mark_xml_invalid
from ..engine.transport import unmark_xml_invalid


class TestJsonNestingPath(unittest.TestCase):
    def test_names_the_first_container_too_deep(self):
        body = '{"skus": ["A"], "reason": {"a,\\"b": [1, ' + "[" * 5000 + "]" * 5000 + "]}}"
        keys = json_nesting_path(body, 6)
        self.assertEqual(keys, ["reason", 'a,"b', 1, 0, 0, 0])
        self.assertEqual(format_path(keys), 'reason.a,"b[1][0][0][0]')

    def test_keys_are_decoded_and_named_safely(self):
        body = '{"lines": [{"\\u0000": {"k": ' + "[" * 50 + "]" * 50 + "}}]}"
        keys = json_nesting_path(body, 5)
        self.assertEqual(keys, ["lines", 0, "\x00", "k", 0])
        self.assertEqual(format_path(keys), "lines[0].'\\x00'.k[0]")

    def test_shallow_or_malformed_bodies(self):
        self.assertIsNone(json_nesting_path(json.dumps({"skus": [["A"]], "x": "[[[["}), 3))
        self.assertIsNone(json_nesting_path('{"reason": "never closed', 3))
        self.assertIsNone(json_nesting_path("]]]", 3))

    def test_needs_no_recursion(self):
        body = '{"order": ' + '{"k": ' * 100_000 + "1" + "}" * 100_000 + "}"
        self.assertEqual(json_nesting_path(body, 9), ["order"] + ["k"] * 8)


class TestXmlInvalidCharacters(unittest.TestCase):
    def test_round_trip_of_what_xml_cannot_carry(self):
        """What Python's client sends - a NUL as is, a surrogate as a character reference -
        parses once marked, and comes back as sent, in strings and struct keys."""
        params = ({"na\x00me": "a\ud800b", "lines": [[{"sku": "\x00\x01", "qty": 1.5}]]}, "é\t")
        body = xmlrpc.client.dumps(params, "execute_kw", allow_none=True)
        data = body.encode("utf-8", "xmlcharrefreplace")
        with self.assertRaises(Exception):  # noqa: B017 - expat's own error type
            xmlrpc.client.loads(data)
        parsed, method = xmlrpc.client.loads(mark_xml_invalid(data))
        self.assertEqual(method, "execute_kw")
        self.assertEqual(unmark_xml_invalid(parsed), params)

    def test_valid_references_are_left_alone(self):
        data = b"<a>&#233;&#x1F600;&#1114112;</a>"
        self.assertEqual(mark_xml_invalid(data), data)

    def test_unmarking_needs_no_recursion(self):
        value = f"{XML_MARK}0{XML_MARK}"  # a NUL, as marked
        for _level in range(100_000):
            value = [value]
        body = xmlrpc.client.dumps(("k",), "m").replace(
            "<string>k</string>",
            "<array><data><value>" * 3 + "&#0;" + "</value></data></array>" * 3,
        )
        parsed, _method = xmlrpc.client.loads(mark_xml_invalid(body.encode()))
        self.assertEqual(unmark_xml_invalid(parsed), ([[["\x00"]]],))
        deep = unmark_xml_invalid((value,))[0]
        for _level in range(100_000):
            deep = deep[0]
        self.assertEqual(deep, "\x00")
