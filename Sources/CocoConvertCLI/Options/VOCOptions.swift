import ArgumentParser

/// Options of the VOC reader and writer.
struct VOCOptions: ParsableArguments {}
