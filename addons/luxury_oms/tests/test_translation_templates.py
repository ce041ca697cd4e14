import io
from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools.translate import trans_export

ADDONS = ("luxury_oms", "luxury_clienteling", "luxury_returns")


@tagged("post_install", "-at_install")
class TestTranslationTemplates(TransactionCase):
    """The committed .pot of each addon holds every term its code, views, data and demo now
    have: tests/test_translations.py then proves each .po translates all of them, so a new
    label or message cannot ship untranslated."""

    def _exported_terms(self, addon):
        buffer = io.BytesIO()
        trans_export(None, [addon], buffer, "po", self.env)
        return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(buffer.getvalue().decode())}

    def _committed_terms(self, addon):
        path = Path(get_module_path(addon), "i18n", f"{addon}.pot")
        return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path))}

    def test_committed_templates_are_up_to_date(self):
        installed = self.env["ir.module.module"].search(
            [("name", "in", ADDONS), ("state", "=", "installed")]
        )
        if not installed.filtered("demo"):
            self.skipTest("The templates hold the demo maison's terms: run with demo data.")
        for addon in installed.mapped("name"):
            exported, committed = self._exported_terms(addon), self._committed_terms(addon)
            missing = sorted(msgid for _context, msgid in exported - committed)
            stale = sorted(msgid for _context, msgid in committed - exported)
            if missing or stale:
                self.fail(
                    f"{addon}.pot is out of date ({len(missing)} new terms, e.g. {missing[:3]}; "
                    f"{len(stale)} gone, e.g. {stale[:3]}): export it again "
                    f"(README, Translations) and translate the new terms."
                )
