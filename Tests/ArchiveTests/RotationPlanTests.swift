import Archive
import Testing

/// The rotation decision as a pure value: no files involved.
@Suite struct RotationPlanTests {
    @Test func closesTheSegmentBeforeTheRecordThatWouldPassTheLimit() {
        var plan = RotationPlan(segmentBytes: 100, firstSeq: 1, records: 0, bytes: 0)
        var decisions: [RotationPlan.Decision] = []
        var seq = 1
        for size in [40, 40, 30, 100, 250, 10] {
            let d = plan.decide(recordBytes: size)
            decisions.append(d)
            if case .rotate = d { plan.rotated() }
            plan.appended(seq: seq, recordBytes: size)
            seq += 1
        }
        #expect(decisions == [.append, .append, .rotate(range: 1...2), .rotate(range: 3...3),
                              .rotate(range: 4...4), .rotate(range: 5...5)])
        #expect(plan.firstSeq == 6 && plan.records == 1 && plan.bytes == 10)
    }

    @Test func neverRotatesAnEmptyLiveFile() {
        let plan = RotationPlan(segmentBytes: 10, firstSeq: 42, records: 0, bytes: 0)
        #expect(plan.decide(recordBytes: 1000) == .append)
    }

    @Test func reopenedPlanContinuesFromTheLiveFile() {
        var plan = RotationPlan(segmentBytes: 1000, firstSeq: 501, records: 9, bytes: 990)
        #expect(plan.decide(recordBytes: 10) == .append)
        #expect(plan.decide(recordBytes: 11) == .rotate(range: 501...509))
        plan.reset(records: 3, bytes: 300)
        #expect(plan.decide(recordBytes: 700) == .append)
    }

    @Test(arguments: [("articles.jsonl", 1, 52341, "articles.000000000001-000000052341.jsonl"),
                      ("news", 7, 7, "news.000000000007-000000000007"),
                      ("a.b.log", 10, 999_999_999_999, "a.b.000000000010-999999999999.log")])
    func segmentNamesSortAndParseBack(live: String, first: Int, last: Int, expected: String) {
        let naming = SegmentNaming(liveName: live)
        #expect(naming.name(first: first, last: last) == expected)
        #expect(naming.range(of: expected) == first...last)
    }

    @Test(arguments: ["articles.jsonl", "articles.000000000002-000000000001.jsonl", "articles.1-2.jsonl",
                      "articles.000000000001-000000000002.json", "other.000000000001-000000000002.jsonl",
                      "articles.00000000000a-000000000002.jsonl", "articles.000000000000-000000000002.jsonl"])
    func otherNamesAreNotSegments(name: String) {
        #expect(SegmentNaming(liveName: "articles.jsonl").range(of: name) == nil)
    }

    @Test func namesSortInSeqOrder() {
        let naming = SegmentNaming(liveName: "articles.jsonl")
        let names = [(1, 9), (10, 99), (100, 100_000)].map { naming.name(first: $0.0, last: $0.1) }
        #expect(names.sorted() == names)
    }
}
