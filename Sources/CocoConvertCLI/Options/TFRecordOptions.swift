import ArgumentParser

/// Options of the TFRecord reader and writer.
struct TFRecordOptions: ParsableArguments {}
