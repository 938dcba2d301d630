"""Makes the foreign HDF5 fixtures the reader must reject (needs h5py and numpy from PyPI).

foreign-cremi.h5        CREMI-style volume file (cremi/cremi_python layout), no `format` attribute.
foreign-format-attr.h5  another tool's `format` attribute value.
future-version.h5       our format name with a layout version this build does not know.

Run from this directory: python3 make_foreign_fixtures.py
"""
import h5py
import numpy as np

with h5py.File("foreign-cremi.h5", "w") as f:
    raw = f.create_dataset("volumes/raw", data=np.arange(2 * 4 * 4, dtype=np.uint8).reshape(2, 4, 4))
    raw.attrs["resolution"] = np.array([40.0, 4.0, 4.0])
    f.create_dataset("volumes/labels/neuron_ids", data=np.zeros((2, 4, 4), np.uint64))

with h5py.File("foreign-format-attr.h5", "w") as f:
    f.attrs["format"] = "someone-elses-layout"
    f.attrs["format_version"] = 1
    f.create_dataset("labels", data=np.zeros((1, 2, 2), np.uint8))

with h5py.File("future-version.h5", "w") as f:
    f.attrs["format"] = "cococonvert-hdf5"
    f.attrs["format_version"] = 99
