import ArgumentParser

/// How annotations become label-map pixels; shared by the PNG, VOC, HDF5 and TFRecord writers.
struct LabelOptions: ParsableArguments {}
