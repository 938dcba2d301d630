import ArgumentParser

/// Options of the COCO reader and writer.
struct COCOOptions: ParsableArguments {}
