"""The public portal: every page a resident sees, by brand (``/<committee>/…``), with its forms.

The tenant of a public page is resolved once, by ``tenant.with_committee``; every query of the
page goes through it.
"""
