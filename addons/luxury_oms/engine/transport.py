"""What the transports cannot parse as a client sent it, read without failing, so that the
channel API can refuse it naming the field like any other bad value.

- JSON-2: a body nested deeper than Python's json module can parse (it recurses);
- XML-RPC: characters XML 1.0 cannot carry (NUL and other control characters, lone UTF-16
  surrogates). Python's client sends them anyway, a control character as is, a surrogate
  as a character reference, and the server's XML parser refuses the whole request.
"""

import json
import re

JSON_STRUCTURE = re.compile(r'["\[\]{},]')  # numbers, literals and blanks are skipped
JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def json_nesting_path(text, max_depth):
    """The keys and indexes leading to the first array or object of the JSON ``text``
    nested ``max_depth`` deep (the top level is 0), or None.

    For a JSON-2 body nested deeper than Python's json module can parse (it recurses):
    read token by token with a stack of our own, so that the error can name the field."""
    stack = []  # per open container: [opening character, current key or index]
    expecting_key = False
    position = 0
    while token := JSON_STRUCTURE.search(text, position):
        position = token.start()
        char = text[position]
        if char == '"':
            string = JSON_STRING.match(text, position)
            if not string:
                return None  # malformed: the json module's own error will say so
            if expecting_key:
                stack[-1][1] = json.loads(string.group())
                expecting_key = False
            position = string.end()
            continue
        if char in "[{":
            if len(stack) == max_depth:
                return [key for _opening, key in stack]
            stack.append([char, 0 if char == "[" else None])
            expecting_key = char == "{"
        elif char in "]}":
            if not stack:
                return None
            stack.pop()
        elif char == "," and stack:
            if stack[-1][0] == "[":
                stack[-1][1] += 1
            else:
                expecting_key = True
        position += 1
    return None


# A character XML cannot carry travels marked with its code point between two U+10FFFE, a
# noncharacter that XML accepts and no text uses.
XML_MARK = "\U0010fffe"
XML_MARKED = re.compile(f"{XML_MARK}([0-9a-f]+){XML_MARK}")
XML_REFERENCE = re.compile(rb"&#(?:x([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
XML_CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _is_xml_char(code):
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _xml_mark(code):
    return f"{XML_MARK}{code:x}{XML_MARK}".encode()


def mark_xml_invalid(body):
    """The XML-RPC ``body`` (bytes) with each character XML cannot carry, raw or as a
    character reference, replaced by a mark ``unmark_xml_invalid`` turns back into it."""

    def reference(match):
        code = int(match[1], 16) if match[1] else int(match[2])
        if _is_xml_char(code) or code > 0x10FFFF:
            return match[0]  # valid, or no character at all: the parser says so
        return _xml_mark(code)

    body = XML_REFERENCE.sub(reference, body)
    return XML_CONTROL_BYTE.sub(lambda match: _xml_mark(match[0][0]), body)


def _unmark(text):
    if XML_MARK not in text:
        return text
    return XML_MARKED.sub(lambda match: chr(int(match[1], 16)), text)


def unmark_xml_invalid(params):
    """The parsed XML-RPC ``params`` (a tuple) with the marked characters back in every
    string and struct key; walked with a stack of its own (the params may be nested
    thousands deep)."""
    params = list(params)
    pending = [params]
    while pending:
        container = pending.pop()
        if isinstance(container, dict):
            items = [(_unmark(key), value) for key, value in container.items()]
            container.clear()
            container.update(items)
            keys = list(container)
        else:
            keys = range(len(container))
        for key in keys:
            value = container[key]
            if isinstance(value, str):
                container[key] = _unmark(value)
            elif isinstance(value, list | dict):
                pending.append(value)
    return tuple(params)
