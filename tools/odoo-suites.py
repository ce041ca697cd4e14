"""Run Odoo's own test suites on a database with the OMS installed, as odoo-bin does,
except that every selected test (at_install ones included) runs once the registry holds
every installed module.

Why: odoo-bin runs a module's at_install tests while the registry is still loading, before
the modules that depend on it. On a database where the OMS is installed, stock's at_install
tests would then run without the OMS's code (proving nothing about it) against tables that
hold the columns of modules not loaded yet. Here they run with the code the maison's server
runs. Usage: python3 tools/odoo-suites.py <odoo-bin arguments> (with --test-tags).
"""

import sys

import odoo.cli
from odoo.tests import loader
from odoo.tests.suite import OdooSuite

_make_suite = loader.make_suite


def make_suite(module_names, position="at_install"):
    if position == "at_install":
        # Called per module while the registry loads: the tests run after loading instead.
        return OdooSuite([])
    return OdooSuite(
        [*_make_suite(module_names, "at_install"), *_make_suite(module_names, "post_install")]
    )


loader.make_suite = make_suite

if __name__ == "__main__":
    sys.argv = ["odoo-bin", *sys.argv[1:]]
    odoo.cli.main()
