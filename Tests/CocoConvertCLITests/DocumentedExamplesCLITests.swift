import Foundation
import Testing
@testable import CocoConvertCLI
import CocoConvertCore

/// The command lines README.md's Usage section and `cococonvert --help` show actually work.
@Suite struct DocumentedExamplesCLITests {
    /// `cococonvert …` lines of a text, as argument lists: comments after two spaces and `(` dropped,
    /// single quotes removed as a shell would.
    static func commandLines(in text: String) -> [[String]] {
        text.split(separator: "\n").compactMap { line -> [String]? in
            var command = line.trimmingCharacters(in: .whitespaces)
            // Usage lines with <placeholders> are not examples.
            guard command.hasPrefix("cococonvert "), !command.contains("<") else { return nil }
            if let comment = command.range(of: "  (") { command = String(command[..<comment.lowerBound]) }
            if let comment = command.range(of: "  #") { command = String(command[..<comment.lowerBound]) }
            let words = command.split(separator: " ").map { $0.replacingOccurrences(of: "'", with: "") }
            return Array(words.dropFirst())
        }
    }

    /// A working directory with coco-mini under every annotation file name the examples use.
    static func workspace(_ directory: URL) throws {
        let images = CLI.cocoMini.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("val2017")
        let text = try String(contentsOf: CLI.cocoMini, encoding: .utf8)
        for split in ["val2017", "train2017"] {
            try write(text, to: directory.appendingPathComponent("annotations"), as: "instances_\(split).json")
            try write(text, to: directory, as: "instances_\(split).json")
            try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent(split), withDestinationURL: images)
        }
        try write(text, to: directory, as: "instances.json")
        // COCO-Stuff examples (things and stuff as two inputs): coco-real's stuff file.
        let stuff = CLI.cocoReal.appendingPathComponent("stuff/annotations/stuff_train2017.json")
        try FileManager.default.copyItem(at: stuff, to: directory.appendingPathComponent("stuff_train2017.json"))
    }

    /// Runs each example in a fresh workspace.
    static func runAll(_ examples: [[String]], source: String) throws {
        #expect(!examples.isEmpty, "no examples found in \(source)")
        // Spellings of one route are one command (HelpAndUsageTests runs the spellings): run it once.
        var seen: Set<[String]> = []
        let distinct = examples.filter { arguments in
            switch RouteArguments.resolve(arguments, registry: .standard) {
            case .convert(let resolved), .unchanged(let resolved): return seen.insert(resolved).inserted
            case .mistake: return true
            }
        }
        for arguments in distinct {
            try withTemporaryDirectory { directory in
                try workspace(directory)
                let run = try runCococonvert(arguments + (arguments.first == "inspect" || arguments.first == "formats" ? [] : ["-q"]),
                                             in: directory)
                #expect(run.status == 0, "\(source): cococonvert \(arguments.joined(separator: " "))\n\(run)")
            }
        }
    }

    @Test func readmeUsageExamplesRun() throws {
        let readme = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let usage = readme.components(separatedBy: "## Usage").dropFirst().first?.components(separatedBy: "\n## ").first ?? ""
        try Self.runAll(Self.commandLines(in: usage), source: "README.md")
    }

    @Test func helpExamplesRun() throws {
        let help = try runCococonvert(["--help"])
        try Self.runAll(Self.commandLines(in: help.stdout), source: "cococonvert --help")
    }
}
