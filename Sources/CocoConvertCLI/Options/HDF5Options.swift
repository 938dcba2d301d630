import ArgumentParser

/// Options of the HDF5 reader and writer.
struct HDF5Options: ParsableArguments {}
