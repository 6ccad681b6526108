"""Executes a notebook through nbclient with the kernel its metadata names (python3-nbclient).

Usage: run_nbclient.py IN.ipynb OUT.ipynb [KERNEL] — the kernel's working folder is IN's folder, as in Jupyter;
KERNEL (a kernelspec name, e.g. .net-csharp) overrides the one the notebook's metadata names.
"""
import os
import sys

import nbformat
from nbclient import NotebookClient

source, target = sys.argv[1], sys.argv[2]
nb = nbformat.read(source, as_version=4)
kernel = sys.argv[3] if len(sys.argv) > 3 else nb.metadata.kernelspec.name
client = NotebookClient(nb, timeout=900, startup_timeout=120, kernel_name=kernel,
                        resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}})
client.execute()
nbformat.write(nb, target)
print(f"executed {source} with kernel {kernel}: {sum(c.cell_type == 'code' for c in nb.cells)} code cells")
