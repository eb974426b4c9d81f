"""Imports of actors and relations: the report's actors file (CSV) and GoGoCarto maps (JSON).

Both formats go through the same steps:

1. `parse()` reads the file into candidates (one per CSV row or GoGoCarto element): the actor's
   values, its contacts, its links to other elements, and the problems found. A problem that
   makes the file unreadable (encoding, missing column, broken JSON) raises `BadFile`.
2. `Importer.run()` writes everything inside one transaction, and rolls it back for a dry run or
   as soon as one row has an error: a file is imported whole or not at all. The dry run thus
   goes through exactly the code of the real import and reports what it would do.

Idempotence: each record keeps its key in the source (`ImportSource`: GoGoCarto element id, or
the folded "Organisation - Service" of a CSV row) and the fingerprint of the values last
imported from it; importing the same file again creates and changes nothing. An import never
erases: an empty cell leaves the published value alone, and an actor it did not create keeps
its non-empty values (`merge`: reported as conflicts). Each source declares its licence
(`licences`: a share-alike one is refused), recorded with the provenance of every record it
writes. A new actor whose name is close to a published one is held unless accepted.

The modules: `vocabulary` (the names files give to types, statuses, relations, places),
`licences`, `csv_file` and `gogocarto` (the two parsers), `report` (candidates and what
happened to each), `merge` (what a row changes in a published actor) and `importer` (the writing, through the model's `publish` or `contributions.proposals`).
"""
