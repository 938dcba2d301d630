import Foundation
import Testing

/// `--limit`, `--image-ids`, `--categories`, `--sample`, `--dry-run` and the loss notes, on coco-real.
@Suite struct SubsetAndDryRunCLITests {
    static var val: String { OutputModeCLITests.val }

    /// The source file as JSON (the expected numbers come from it, not from our output).
    static func source() throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: val))) as? [String: Any])
    }

    static func pngs(_ directory: URL) -> [String] { tree(directory).filter { $0.hasSuffix(".png") } }

    @Test func limitWritesThatManySamples() throws {
        try withTemporaryDirectory { work in
            let out = work.appendingPathComponent("png")
            let run = try runCococonvert(["coco2png", Self.val, out.path, "--limit", "5"])
            #expect(run.status == 0, "\(run)")
            #expect(Self.pngs(out).count == 5)
            #expect(run.stderr.contains("5 samples") && run.stderr.contains("subset: kept 5 samples"), "\(run)")
        }
    }

    @Test func imageIDsFromAListOrAFile() throws {
        try withTemporaryDirectory { work in
            let list = try runCococonvert(["coco2png", Self.val, work.appendingPathComponent("a").path, "--image-ids", "6818,25986"])
            #expect(list.status == 0, "\(list)")
            #expect(Self.pngs(work.appendingPathComponent("a")) == ["000000006818.png", "000000025986.png"])
            let file = try write("25986\n34417\n", to: work, as: "ids.txt")
            let fromFile = try runCococonvert(["coco2png", Self.val, work.appendingPathComponent("b").path, "--image-ids", file.path])
            #expect(Self.pngs(work.appendingPathComponent("b")) == ["000000025986.png", "000000034417.png"], "\(fromFile)")
            let bad = try runCococonvert(["coco2png", Self.val, work.appendingPathComponent("c").path, "--image-ids", "12,x"])
            #expect(bad.status == 64 && bad.stderr.contains("'x' is not an image id"), "\(bad)")
        }
    }

    @Test func categoriesKeepsThoseAndCountsTheRest() throws {
        let source = try Self.source()
        let categories = try #require(source["categories"] as? [[String: Any]])
        let annotations = try #require(source["annotations"] as? [[String: Any]])
        let person = 1, car = 3
        let kept = annotations.filter { [person, car].contains($0["category_id"] as? Int ?? -1) }.count
        try withTemporaryDirectory { work in
            let out = work.appendingPathComponent("subset.json")
            let run = try runCococonvert(["coco2coco", Self.val, out.path, "--categories", "person,\(car)"])
            #expect(run.status == 0, "\(run)")
            let written = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
            #expect((written["categories"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["person", "car"])
            #expect((written["annotations"] as? [Any])?.count == kept)
            #expect((written["images"] as? [Any])?.count == (source["images"] as? [Any])?.count, "images stay")
            #expect(run.stderr.contains("2 categories kept, \(categories.count - 2) dropped with \(annotations.count - kept) instances"), "\(run)")
            let unknown = try runCococonvert(["coco2coco", Self.val, work.appendingPathComponent("u.json").path, "--categories", "persn"])
            #expect(unknown.status == 64 && unknown.stderr.contains("did you mean 'person'"), "\(unknown)")
        }
    }

    /// `--category` suggests the subset option; the PNG reader's old option is now `--category-file`.
    @Test func categoriesSpellings() throws {
        let typo = try runCococonvert(["coco2png", Self.val, "/nonexistent/out", "--category", "person"])
        #expect(typo.status == 64 && typo.stderr.contains("did you mean --categories?"), "\(typo)")
        let json = try runCococonvert(["png2coco", "/nonexistent/in", "/nonexistent/out.json", "--categories", Self.val])
        #expect(json.status == 64 && json.stderr.contains("--category-file"), "\(json)")
        let help = try runCococonvert(["png2coco", "--help"])
        #expect(help.stdout.contains("--category-file FILE") && help.stdout.contains("--categories NAMES|IDS"), "\(help)")
    }

    @Test func sampleIsDeterministicAndIndependentOfJobs() throws {
        try withTemporaryDirectory { work in
            var sets: [[String]] = []
            for (name, arguments) in [("a", ["--jobs", "1", "--seed", "7"]), ("b", ["--jobs", "3", "--seed", "7"]), ("c", ["--seed", "8"])] {
                let out = work.appendingPathComponent(name)
                let run = try runCococonvert(["coco2png", Self.val, out.path, "--sample", "0.5"] + arguments)
                #expect(run.status == 0, "\(run)")
                sets.append(Self.pngs(out))
            }
            #expect(sets[0] == sets[1])
            #expect(sets[0] != sets[2], "another seed, another sample")
            #expect((15...45).contains(sets[0].count), "\(sets[0].count) of 60 for --sample 0.5")
            let bad = try runCococonvert(["coco2png", Self.val, work.appendingPathComponent("d").path, "--sample", "1.5"])
            #expect(bad.status == 64, "\(bad)")
        }
    }

    @Test func dryRunWritesNothing() throws {
        try withTemporaryDirectory { work in
            let existing = work.appendingPathComponent("voc")
            try write("mine\n", to: existing, as: "notes.txt")
            let before = tree(work)
            let fresh = try runCococonvert(["coco2tfrecord", Self.val, work.appendingPathComponent("tf").path, "--dry-run", "--on-error", "skip"])
            #expect(fresh.status == 0, "\(fresh)")
            #expect(fresh.stdout.contains("would write: 3 files"), "\(fresh)")
            let add = try runCococonvert(["coco2voc", Self.val, existing.path, "--dry-run", "--add"])
            #expect(add.status == 0 && add.stdout.contains("label values"), "\(add)")
            #expect(tree(work) == before, "written: \(Set(tree(work)).subtracting(before))")
        }
    }

    /// coco → tfrecord (deeplab) says how many instances can come back, and tfrecord → coco gives
    /// back no more than that; the counts of the input come from the source JSON.
    @Test func lossNotesForDeepLabTFRecord() throws {
        let annotations = try #require(try Self.source()["annotations"] as? [[String: Any]])
        try withTemporaryDirectory { work in
            let tf = work.appendingPathComponent("tf")
            let dry = try runCococonvert(["coco2tfrecord", Self.val, tf.path, "--dry-run"])
            #expect(dry.stdout.contains("loses (writing tfrecord): separate instances"), "\(dry)")
            let run = try runCococonvert(["coco2tfrecord", Self.val, tf.path])
            #expect(run.status == 0, "\(run)")
            let note = try #require(run.stderr.split(separator: "\n").first { $0.contains("separate instances") }, "\(run)")
            #expect(note.contains("of \(annotations.count) instances come back"), "\(note)")
            let atMost = try #require(note.firstRange(of: "at most ").map { Int(note[$0.upperBound...].prefix { $0.isNumber }) } ?? nil)
            let back = try runCococonvert(["tfrecord2coco", tf.path, work.appendingPathComponent("back.json").path])
            #expect(back.status == 0, "\(back)")
            let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: work.appendingPathComponent("back.json"))) as? [String: Any])
            let returned = (json["annotations"] as? [Any])?.count ?? 0
            #expect(returned <= atMost && returned > 0 && atMost < annotations.count, "\(returned) back, note says at most \(atMost)")
            #expect(back.stderr.contains("loses (reading tfrecord): separate instances"), "\(back)")
        }
    }

    @Test func lossNotesForCrowdsThroughVOC() throws {
        let annotations = try #require(try Self.source()["annotations"] as? [[String: Any]])
        let crowds = annotations.filter { ($0["iscrowd"] as? Int) == 1 }.count
        try #require(crowds > 0)
        try withTemporaryDirectory { work in
            let run = try runCococonvert(["coco2voc", Self.val, work.appendingPathComponent("voc").path])
            #expect(run.status == 0, "\(run)")
            #expect(run.stderr.contains("loses (writing voc): crowds: \(crowds) of \(annotations.count) instances are crowds"), "\(run)")
            // An image without crowds: no crowd note (the table is checked against the input).
            let crowdImages = Set(annotations.filter { ($0["iscrowd"] as? Int) == 1 }.compactMap { $0["image_id"] as? Int })
            let plain = try #require(annotations.compactMap { $0["image_id"] as? Int }.first { !crowdImages.contains($0) })
            let one = try runCococonvert(["coco2voc", Self.val, work.appendingPathComponent("one").path, "--image-ids", String(plain)])
            #expect(one.status == 0 && !one.stderr.contains("crowds:") && one.stderr.contains("annotation ids:"), "\(one)")
        }
    }
}
