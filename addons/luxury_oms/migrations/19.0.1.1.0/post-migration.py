"""A sourcing plan's explanation is now written when it is read, in the reader's language:
the after-intake step that wrote it is gone. Orders still waiting for it keep their other
steps."""


def migrate(cr, version):
    cr.execute(
        r"""UPDATE sale_order
               SET oms_pending_work = NULLIF(
                       btrim(regexp_replace(oms_pending_work, '\mexplain_plan\M\s*', '', 'g')),
                       '')
             WHERE oms_pending_work ~ '\mexplain_plan\M'"""
    )
    cr.execute(
        """UPDATE sale_order SET oms_work_state = NULL
            WHERE oms_work_state IS NOT NULL AND oms_pending_work IS NULL"""
    )
