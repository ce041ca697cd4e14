"""Decision engines of the OMS: plain Python over plain data, no Odoo import.

Models fetch what an engine needs in bulk, call it, and persist its answer, so that
"why was this refused / sent to Milan?" is answered by reading one engine file.
"""
