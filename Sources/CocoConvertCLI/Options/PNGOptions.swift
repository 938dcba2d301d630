import ArgumentParser

/// Options of the PNG reader and writer.
struct PNGOptions: ParsableArguments {}
