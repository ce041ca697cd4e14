"""Every public method of the addons' models and wizards answers something XML-RPC can carry.

Odoo lets an RPC caller invoke any method whose name does not start with ``_`` (unless it is
decorated ``@api.private``). One that returns None makes the XML-RPC layer fail with "cannot
marshal None" and log an ERROR after the work was done and committed: the integration sees a
failure for a success. This reads the source with ``ast`` (no database) and names each public
method that may end without ``return <value>``: a path falling off the end of its body, a bare
``return``, ``return None``, or ``return self._x(...)`` where that ``_x`` may itself give None.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("luxury_oms", "luxury_clienteling", "luxury_returns")
FOLDERS = ("models", "wizard")
# Their returns and breaks are their own.
NESTED_SCOPES = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef


def _source_files():
    for addon in ADDONS:
        for folder in FOLDERS:
            yield from sorted((ROOT / "addons" / addon / folder).glob("*.py"))


def _is_none(node):
    return node is None or (isinstance(node, ast.Constant) and node.value is None)


def _decorator_names(function):
    names = set()
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        names.add(ast.unparse(target))
    return names


def _ends(statements):
    """Whether control can never run past the end of these statements."""
    return bool(statements) and _terminates(statements[-1])


def _has_break(statements):
    """Whether a `break` of the loop owning these statements may run (nested loops own theirs,
    except in their `else`)."""
    for statement in statements:
        if isinstance(statement, ast.For | ast.While):
            if _has_break(statement.orelse):
                return True
        elif isinstance(statement, ast.Break):
            return True
        elif not isinstance(statement, NESTED_SCOPES):
            blocks = [getattr(statement, name, []) for name in ("body", "orelse", "finalbody")]
            blocks += [h.body for h in getattr(statement, "handlers", [])]
            blocks += [c.body for c in getattr(statement, "cases", [])]
            if any(_has_break(block) for block in blocks):
                return True
    return False


def _terminates(statement):
    if isinstance(statement, ast.Return | ast.Raise):
        ends = True
    elif isinstance(statement, ast.If):
        ends = _ends(statement.body) and _ends(statement.orelse)
    elif isinstance(statement, ast.With):
        ends = _ends(statement.body)
    elif isinstance(statement, ast.Try):
        ends = _ends(statement.finalbody) or (
            _ends(statement.body + statement.orelse)
            and all(_ends(handler.body) for handler in statement.handlers)
        )
    elif isinstance(statement, ast.While):
        endless = isinstance(statement.test, ast.Constant) and bool(statement.test.value)
        ends = endless and not _has_break(statement.body)
    elif isinstance(statement, ast.Match):
        ends = all(_ends(case.body) for case in statement.cases) and any(
            isinstance(case.pattern, ast.MatchAs) and case.pattern.pattern is None
            for case in statement.cases
        )
    else:
        ends = False
    return ends


def _returns(function):
    """The return statements of a function, not those of functions nested in it."""
    found = []

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, NESTED_SCOPES):
                continue
            if isinstance(child, ast.Return):
                found.append(child)
            visit(child)

    visit(function)
    return found


def _none_names(function):
    """The local names the function sets to None somewhere."""
    return {
        target.id
        for node in ast.walk(function)
        if isinstance(node, ast.Assign) and _is_none(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _can_be_none(expression, none_names):
    if _is_none(expression):
        return True
    if isinstance(expression, ast.IfExp):
        return _can_be_none(expression.body, none_names) or _can_be_none(
            expression.orelse, none_names
        )
    if isinstance(expression, ast.BoolOp):
        # `a or b` may give b; `a and b` may give any of them.
        values = expression.values[-1:] if isinstance(expression.op, ast.Or) else expression.values
        return any(_can_be_none(value, none_names) for value in values)
    return isinstance(expression, ast.Name) and expression.id in none_names


def _may_give_none(function):
    """Why this function may give None by itself, or None when it always returns a value."""
    if not _ends(function.body):
        return "its body can end without a return"
    none_names = _none_names(function)
    for statement in _returns(function):
        if _can_be_none(statement.value, none_names):
            return f"line {statement.lineno}: `{ast.unparse(statement)}`"
    return None


def _gives_a_givers_result(function, none_givers):
    """Why this function may pass on None from a method of ``none_givers``, or None."""
    for statement in _returns(function):
        value = statement.value
        name = (
            value.func.attr
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
            else None
        )
        if name in none_givers:
            return f"line {statement.lineno} returns `{name}`, which may give None " + (
                f"({none_givers[name]})"
            )
    return None


def _methods():
    """(file, class, function) for every method defined in the scanned classes."""
    for path in _source_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for klass in (node for node in tree.body if isinstance(node, ast.ClassDef)):
            for function in klass.body:
                if isinstance(function, ast.FunctionDef):
                    yield path.relative_to(ROOT), klass.name, function


def _none_givers(methods):
    """Why each method name may give None, when one of its definitions in the scanned classes
    may (a method of that name may be the one reached through inheritance), directly or by
    returning what another such method gives."""
    givers = {}
    for _path, _klass, function in methods:
        reason = _may_give_none(function)
        if reason:
            givers.setdefault(function.name, reason)
    grown = True
    while grown:
        grown = False
        for _path, _klass, function in methods:
            reason = function.name not in givers and _gives_a_givers_result(function, givers)
            if reason:
                givers[function.name] = reason
                grown = True
    return givers


def find_public_methods_giving_none():
    methods = list(_methods())
    none_givers = _none_givers(methods)
    offenders = []
    for path, klass, function in methods:
        if function.name.startswith("_") or "api.private" in _decorator_names(function):
            continue
        reason = _may_give_none(function) or _gives_a_givers_result(function, none_givers)
        if reason:
            offenders.append(f"{path}:{function.lineno} {klass}.{function.name}: {reason}")
    return offenders


def test_the_scan_covers_the_addons():
    public = [f for _p, _k, f in _methods() if not f.name.startswith("_")]
    assert len(public) > 50, f"only {len(public)} public methods found: is the scan pointed right?"


def test_every_public_method_returns_a_value():
    offenders = find_public_methods_giving_none()
    assert not offenders, "Public methods an RPC call could get None from:\n" + "\n".join(offenders)


def test_the_scan_sees_what_it_must():
    """The scan itself, on small samples: it must not miss a way of giving None."""
    samples = {
        "def action_a(self):\n    self.x = 1\n": True,
        "def action_a(self):\n    if self:\n        return True\n": True,
        "def action_a(self):\n    return\n": True,
        "def action_a(self):\n    if self:\n        return None\n    return True\n": True,
        "def action_a(self):\n    for r in self:\n        return True\n": True,
        "def action_a(self):\n    try:\n        return 1\n    except E:\n        pass\n": True,
        "def action_a(self):\n    while True:\n        break\n": True,
        "def action_a(self):\n    with x:\n        pass\n": True,
        "def action_a(self):\n    x = None\n    if self:\n        x = 1\n    return x\n": True,
        "def action_a(self):\n    return self.x or None\n": True,
        "def action_a(self):\n    return 1 if self else None\n": True,
        "def action_a(self):\n    return self and self.x\n": False,
        "def action_a(self):\n    return True\n": False,
        "def action_a(self):\n    if self:\n        return 1\n    else:\n        raise E\n": False,
        "def action_a(self):\n    def f():\n        return\n    return f()\n": False,
        "def action_a(self):\n    try:\n        pass\n    finally:\n        return 1\n": False,
        "def action_a(self):\n    while True:\n        for r in x:\n            break\n": False,
    }
    for source, gives_none in samples.items():
        function = ast.parse(source).body[0]
        assert bool(_may_give_none(function)) == gives_none, source


def test_the_scan_follows_delegation():
    """A method returning what another gives is as good as that one, however deep."""
    source = """
class A:
    def action_a(self):
        return self._b()

    def _b(self):
        return self._c()

    def _c(self):
        self.x = 1

    def action_d(self):
        return self._e()

    def _e(self):
        return True
"""
    methods = [("a.py", "A", f) for f in ast.parse(source).body[0].body]
    givers = _none_givers(methods)
    assert set(givers) == {"action_a", "_b", "_c"}
    assert _gives_a_givers_result(methods[0][2], givers)
    assert not _gives_a_givers_result(methods[3][2], givers)
