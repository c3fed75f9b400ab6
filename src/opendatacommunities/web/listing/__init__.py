"""``/data``: the catalogue people browse, with filters, sorting, paging and twins."""
