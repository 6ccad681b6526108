"""Executes a notebook through nbclient with the kernel its metadata names (python3-nbclient).

Usage: run_nbclient.py IN.ipynb OUT.ipynb — the kernel's working folder is IN's folder, as in Jupyter.
"""
import os
import sys

import nbformat
from nbclient import NotebookClient

source, target = sys.argv[1], sys.argv[2]
nb = nbformat.read(source, as_version=4)
client = NotebookClient(nb, timeout=900, startup_timeout=120,
                        resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}})
client.execute()
nbformat.write(nb, target)
print(f"executed {source} with kernel {nb.metadata.kernelspec.name}: {sum(c.cell_type == 'code' for c in nb.cells)} code cells")
