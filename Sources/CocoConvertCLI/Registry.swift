import CocoConvertCOCO
import CocoConvertCore
import CocoConvertHDF5
import CocoConvertLabelMaps
import CocoConvertTFRecord
import CocoConvertSA1B
import CocoConvertVOC
import CocoConvertWebDataset
import CocoConvertYOLO

extension FormatRegistry {
    /// The formats this build of cococonvert ships, in the order `cococonvert formats` lists them.
    /// A new format adds its module's plugin here (one line) and nothing else in the CLI.
    public static let standard = FormatRegistry([
        COCOFormat.plugin,
        PNGLabelsFormat.plugin,
        VOCFormat.plugin,
        HDF5Format.plugin,
        TFRecordFormat.plugin,
        YOLOFormat.plugin,
        WebDatasetFormat.plugin,
        SA1BFormat.plugin,
    ])
}
