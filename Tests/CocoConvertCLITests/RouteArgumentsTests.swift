import CocoConvertCore
import Testing
@testable import CocoConvertCLI

@Suite struct RouteArgumentsTests {
    static let registry = FormatRegistry.standard

    @Test(arguments: ["coco2voc", "coco:voc", "coco->voc", "coco-to-voc", "COCO2VOC", "coco2pascal-voc"])
    func shorthandsBecomeConvert(spelling: String) {
        let resolved = RouteArguments.resolve([spelling, "in.json", "out", "--layout", "devkit"], registry: Self.registry)
        #expect(resolved == .convert(["--from", "coco", "--to", "voc", "in.json", "out", "--layout", "devkit"]))
    }

    @Test func everyPairOfTheRegistryHasAShorthand() {
        for from in Self.registry.plugins {
            for to in Self.registry.plugins {
                let route = Self.registry.route("\(from.name)2\(to.name)")
                #expect(route?.from.name == from.name && route?.to.name == to.name)
            }
        }
    }

    @Test func hdf5RouteIsNotSplitAtTheDigitInsideTheName() {
        #expect(Self.registry.route("hdf52coco")?.from.name == "hdf5")
        #expect(Self.registry.route("coco2hdf5")?.to.name == "hdf5")
    }

    @Test func unquotedArrowIsExplained() {
        guard case .mistake(let message) = RouteArguments.resolve(["coco-", "in.json", "out"], registry: Self.registry) else {
            Issue.record("coco- was not recognised as an unquoted arrow")
            return
        }
        #expect(message.contains("'coco->voc'"))
        #expect(message.contains("coco2voc"))
        #expect(message.contains("redirection"))
    }

    @Test func ordinaryCommandsPassThrough() {
        for arguments in [["inspect", "x.json"], ["formats"], ["--version"], ["help", "inspect"], []] {
            #expect(RouteArguments.resolve(arguments, registry: Self.registry) == .unchanged(arguments))
        }
        #expect(RouteArguments.resolve(["convert", "--from", "coco"], registry: Self.registry) == .convert(["--from", "coco"]))
    }

    @Test func commandListMatchesTheSubcommands() {
        let names = CococonvertCommand.configuration.subcommands.map { $0._commandName }
        #expect(Set(names + ["help", "convert"]) == Set(RouteArguments.commands))
    }

    @Test(arguments: [("coco2nothing", "'nothing' is not a format"), ("coco:xyz", "'xyz' is not a format"),
                      ("coco2", "a format name is missing"), ("inspct", "is not a command"), ("voc", "names one format"),
                      ("coco2vco", "did you mean coco2voc?"), ("cocco2voc", "did you mean coco2voc?"),
                      ("hdf52tfrecrod", "did you mean hdf52tfrecord?"), ("inspcet", "Did you mean inspect?")])
    func unknownWordsAreExplained(word: String, says: String) {
        guard case .mistake(let message) = RouteArguments.resolve([word, "a", "b"], registry: Self.registry) else {
            Issue.record("\(word) was not reported")
            return
        }
        #expect(message.contains(says), "\(message)")
        #expect(message.contains(Self.registry.nameList), "\(message)")
    }
}
