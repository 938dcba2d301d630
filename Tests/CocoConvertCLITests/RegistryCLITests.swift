import CocoConvertCore
import Foundation
import Testing
@testable import CocoConvertCLI

/// Tests every format in the registry gets without being listed: a new format (like the test-only
/// toy) is converted, read back, checked for determinism, safe names and option handling here.
/// Conversions run in process with ``FormatRegistry/withTestFormats``.
@Suite struct RegistryCLITests {
    static let registry = FormatRegistry.withTestFormats
    static var writable: [String] { registry.plugins.filter { $0.writer != nil }.map(\.name) }
    static var readableAndWritable: [String] { registry.plugins.filter { $0.writer != nil && $0.reader != nil }.map(\.name) }
    static var routes: [String] {
        registry.plugins.filter { $0.reader != nil }.flatMap { from in
            registry.plugins.filter { $0.writer != nil }.map { "\(from.name)2\($0.name)" }
        }
    }
    static let fixture = CLI.cocoMini.path

    /// The output path for a format inside `directory` (a file name for file writers).
    static func outputPath(_ format: String, in directory: URL, name: String = "out") -> String {
        let plugin = registry.plugin(named: format)
        if case .file(let example)? = plugin?.writer?.output {
            return directory.appendingPathComponent(name + "-" + example).path
        }
        return directory.appendingPathComponent(name).path
    }

    @Test func toyIsRegisteredBesideTheShippedFormats() {
        #expect(Self.registry.plugin(named: "toy") != nil)
        #expect(FormatRegistry.standard.plugin(named: "toy") == nil)
        #expect(Self.writable.count == FormatRegistry.standard.plugins.filter { $0.writer != nil }.count + 1)
    }

    @Test("every writer writes the fixture, its reader reads it back, inspect and detection recognise it", arguments: writable)
    func writesReadsInspectsAndDetects(format: String) throws {
        try withTemporaryDirectory { directory in
            let output = Self.outputPath(format, in: directory)
            let write = runInProcess(["coco2\(format)", Self.fixture, output, "-q"])
            #expect(write.status == 0, "\(write)")
            #expect(FileManager.default.fileExists(atPath: output))
            let hidden = tree(directory).filter { ($0 as NSString).lastPathComponent.hasPrefix(".") }
            #expect(hidden.isEmpty, "temporary files left: \(hidden)")
            guard let plugin = Self.registry.plugin(named: format), plugin.reader != nil else { return }

            let back = directory.appendingPathComponent("back.json").path
            let read = runInProcess(["\(format)2coco", output, back, "-q"])
            #expect(read.status == 0, "\(read)")
            let images = (try foundationJSON(URL(fileURLWithPath: back)) as? [String: Any])?["images"] as? [Any]
            #expect(images?.count == 8, "\(format) → coco gave \(images?.count ?? -1) images")

            let detected = Self.registry.detect(InputProbe(path: output)).first
            #expect(detected?.plugin.name == format, "\(output) detected as \(detected?.plugin.name ?? "nothing")")
            let inspection = try Inspect.inspect(InspectRequest(path: output), plugin: plugin)
            #expect(inspection.problemCount == 0, "\(inspection.table)")
            #expect(!inspection.table.isEmpty && inspection.json.hasPrefix("{"))
        }
    }

    @Test("output bytes do not depend on --jobs", arguments: writable)
    func outputDoesNotDependOnJobs(format: String) throws {
        try withTemporaryDirectory { directory in
            var trees: [[String: Data]] = []
            for jobs in ["1", "3"] {
                let output = Self.outputPath(format, in: directory, name: "jobs\(jobs)")
                let run = runInProcess(["coco2\(format)", Self.fixture, output, "--jobs", jobs, "-q"])
                #expect(run.status == 0, "\(run)")
                let root = URL(fileURLWithPath: output)
                var contents: [String: Data] = [:]
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory)
                for path in isDirectory.boolValue ? tree(root) : [""] {
                    let url = path.isEmpty ? root : root.appendingPathComponent(path)
                    if let data = FileManager.default.contents(atPath: url.path) { contents[path] = data }
                }
                trees.append(contents)
            }
            #expect(trees[0].keys.sorted() == trees[1].keys.sorted())
            for (path, data) in trees[0] where trees[1][path] != data {
                Issue.record("\(format): \(path) differs between --jobs 1 and --jobs 3")
            }
        }
    }

    @Test("file names that try to leave the output directory stay inside it", arguments: writable)
    func hostileNamesStayInside(format: String) throws {
        try withTemporaryDirectory { directory in
            let images = directory.appendingPathComponent("val2017")
            try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
            let names = ["../../escape-a.jpg", "/tmp/escape-b.jpg", "sub/../../escape-c.jpg", "..", "ok.jpg"]
            var imageRecords: [String] = []
            var annotations: [String] = []
            for (index, name) in names.enumerated() {
                imageRecords.append(#"{"id": \#(index + 1), "file_name": \#(jsonString(name)), "width": 8, "height": 6}"#)
                annotations.append(#"{"id": \#(index + 1), "image_id": \#(index + 1), "category_id": 1, "iscrowd": 0, "area": 4, "bbox": [1, 1, 2, 2], "segmentation": [[1, 1, 3, 1, 3, 3, 1, 3]]}"#)
            }
            let json = #"{"images": [\#(imageRecords.joined(separator: ","))], "annotations": [\#(annotations.joined(separator: ","))], "categories": [{"id": 1, "name": "thing"}]}"#
            let annotationsDirectory = directory.appendingPathComponent("annotations")
            try FileManager.default.createDirectory(at: annotationsDirectory, withIntermediateDirectories: true)
            let input = try write(json, to: annotationsDirectory, as: "instances_val2017.json")
            let escapedBefore = FileManager.default.fileExists(atPath: "/tmp/escape-b.jpg")
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("deep/er"), withIntermediateDirectories: true)
            let output = Self.outputPath(format, in: directory.appendingPathComponent("deep/er"))
            let run = runInProcess(["coco2\(format)", input.path, output, "--on-error", "skip", "-q"])
            #expect(run.status == 0 || run.status == 65, "\(run)")
            let outside = tree(directory).filter { !$0.hasPrefix("deep") && !$0.hasPrefix("annotations") && !$0.hasPrefix("val2017") }
            #expect(outside.isEmpty, "\(format) wrote outside its output: \(outside)")
            #expect(escapedBefore || !FileManager.default.fileExists(atPath: "/tmp/escape-b.jpg"))
            #expect(!FileManager.default.fileExists(atPath: directory.deletingLastPathComponent().appendingPathComponent("escape-a.jpg").path))
        }
    }

    @Test("route help lists the route's options and no other format's", arguments: routes)
    func routeHelpListsItsOptions(route: String) throws {
        guard let (from, to) = Self.registry.route(route) else { throw RouteNotFound(route: route) }
        let help = runInProcess([route, "--help"])
        #expect(help.status == 0, "\(help)")
        let own = Set(((from.reader?.options ?? []) + (to.writer?.options ?? [])).map(\.name))
        for name in own { #expect(help.stdout.contains("--\(name)"), "\(route) --help does not list --\(name)") }
        for name in Self.registry.allOptionNames.subtracting(own) {
            #expect(!help.stdout.contains("--\(name) "), "\(route) --help lists --\(name), which it does not take")
        }
    }

    @Test("an option of another route is a usage error before the input is read", arguments: writable)
    func foreignOptionIsRefusedBeforeReading(format: String) throws {
        guard let plugin = Self.registry.plugin(named: format), let option = plugin.writer?.options.first,
              let other = Self.registry.plugins.first(where: { candidate in
                  candidate.writer != nil && !(candidate.writer?.options ?? []).contains { $0.name == option.name }
                      && !(Self.registry.plugin(named: "coco")?.reader?.options ?? []).contains { $0.name == option.name }
              }) else { return }
        var arguments = ["coco2\(other.name)", "/nonexistent/input.json", "/nonexistent/out", "--\(option.name)"]
        if option.takesValue { arguments.append(option.choices.first ?? "1") }
        let run = runInProcess(arguments)
        #expect(run.status == 64, "\(run)")
        #expect(run.stderr.contains("does not apply to coco2\(other.name)"), "\(run)")
        #expect(run.stderr.contains("writing \(format)"), "\(run)")
    }

    @Test("coco → toy → coco keeps every mask exactly (a new format is only its own folder)")
    func toyRoundTripIsExact() throws {
        try withTemporaryDirectory { directory in
            let direct = directory.appendingPathComponent("direct.json").path
            let toy = directory.appendingPathComponent("toy").path
            let back = directory.appendingPathComponent("back.json").path
            #expect(runInProcess(["coco2coco", Self.fixture, direct, "--segmentation", "rle", "-q"]).status == 0)
            #expect(runInProcess(["coco2toy", Self.fixture, toy, "--toy-note", "made by a test", "-q"]).status == 0)
            let read = runInProcess(["toy2coco", toy, back, "--segmentation", "rle", "--toy-strict", "-q"])
            #expect(read.status == 0, "\(read)")
            func masks(_ path: String) throws -> [String: String] {
                let object = try foundationJSON(URL(fileURLWithPath: path)) as? [String: Any]
                var result: [String: String] = [:]
                for case let annotation as [String: Any] in object?["annotations"] as? [Any] ?? [] {
                    let id = "\(annotation["id"] ?? "?")"
                    let segmentation = annotation["segmentation"] as? [String: Any]
                    result[id] = "\(annotation["category_id"] ?? "?") \(annotation["iscrowd"] ?? "?") \(segmentation?["counts"] ?? "none")"
                }
                return result
            }
            let expected = try masks(direct)
            #expect(expected.count == 172)
            #expect(try masks(back) == expected)
        }
    }
}

struct RouteNotFound: Error {
    var route: String
}
