import Testing
@testable import CocoConvertCLI

@Suite struct RouteArgumentsTests {
    @Test(arguments: ["coco2voc", "coco:voc", "coco->voc", "coco-to-voc", "COCO2VOC"])
    func shorthandsBecomeConvert(spelling: String) {
        let resolved = RouteArguments.resolve([spelling, "in.json", "out", "--layout", "devkit"])
        #expect(resolved == .rewritten(["convert", "--from", "coco", "--to", "voc", "in.json", "out", "--layout", "devkit"]))
    }

    @Test func everyPairHasAShorthand() {
        for from in FormatID.allCases {
            for to in FormatID.allCases {
                let route = RouteArguments.route("\(from.rawValue)2\(to.rawValue)")
                #expect(route?.0 == from && route?.1 == to)
            }
        }
    }

    @Test func hdf5RouteIsNotSplitAtTheDigitInsideTheName() {
        #expect(RouteArguments.route("hdf52coco")?.0 == .hdf5)
        #expect(RouteArguments.route("coco2hdf5")?.1 == .hdf5)
    }

    @Test func unquotedArrowIsExplained() {
        guard case .unquotedArrow(let message) = RouteArguments.resolve(["coco-", "in.json", "out"]) else {
            Issue.record("coco- was not recognised as an unquoted arrow")
            return
        }
        #expect(message.contains("'coco->voc'"))
        #expect(message.contains("coco2voc"))
        #expect(message.contains("redirection"))
    }

    @Test func ordinaryCommandsPassThrough() {
        #expect(RouteArguments.resolve(["inspect", "x.json"]) == .unchanged(["inspect", "x.json"]))
        #expect(RouteArguments.resolve(["formats"]) == .unchanged(["formats"]))
        #expect(RouteArguments.resolve(["--version"]) == .unchanged(["--version"]))
        #expect(RouteArguments.resolve(["help", "convert"]) == .unchanged(["help", "convert"]))
        #expect(RouteArguments.resolve([]) == .unchanged([]))
    }

    @Test func commandListMatchesTheSubcommands() {
        let names = CococonvertCommand.configuration.subcommands.map { $0._commandName }
        #expect(Set(names + ["help"]) == Set(RouteArguments.commands))
    }

    @Test(arguments: [("coco2nothing", "'nothing' is not a format"), ("cocco2voc", "'cocco' is not a format"),
                      ("coco:xyz", "'xyz' is not a format"), ("coco2", "a format name is missing"),
                      ("inspct", "is not a command"), ("voc", "names one format")])
    func unknownWordsAreExplained(word: String, says: String) {
        guard case .notACommand(let message) = RouteArguments.resolve([word, "a", "b"]) else {
            Issue.record("\(word) was not reported")
            return
        }
        #expect(message.contains(says), "\(message)")
        #expect(message.contains("coco, png, voc, hdf5, tfrecord"), "\(message)")
    }
}
