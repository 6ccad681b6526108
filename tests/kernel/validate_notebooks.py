"""Checks notebooks the way Jupyter tools read them (python3-nbformat): schema-valid with no
warning (nbformat 4.5 cell ids), the language reported as a Jupyter kernel reports it (C#, pygments
lexer csharp), the workbook kernel's kernelspec, and Polyglot's metadata kept beside it.

Usage: validate_notebooks.py NOTEBOOK... — prints "ok: NAME" or "FAILED: NAME: why" per notebook;
exits 1 when any failed.
"""
import sys
import warnings

import nbformat

failed = False
for path in sys.argv[1:]:
    problems = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
            nbformat.validate(nb)
        except Exception as e:  # ValidationError, JSON errors
            problems.append(f"{type(e).__name__}: {str(e).splitlines()[0]}")
            nb = None
    problems += [f"{w.category.__name__}: {w.message}" for w in caught]
    if nb is not None:
        meta = nb.metadata
        language = meta.get("language_info", {})
        if language.get("name") != "C#" or language.get("pygments_lexer") != "csharp":
            problems.append(f"language_info is {dict(language)}, not C# with pygments lexer csharp")
        if meta.get("kernelspec", {}).get("name") != "csharp-workbook":
            problems.append(f"kernelspec is {dict(meta.get('kernelspec', {}))}, not csharp-workbook")
        if "polyglot_notebook" not in meta:
            problems.append("the Polyglot metadata (polyglot_notebook) is missing")
        missing = [i + 1 for i, cell in enumerate(nb.cells) if "id" not in cell]
        if missing:
            problems.append(f"cells without an id: {missing}")
    if problems:
        failed = True
        print(f"FAILED: {path}: " + "; ".join(dict.fromkeys(problems)))
    else:
        print(f"ok: {path}")
sys.exit(1 if failed else 0)
