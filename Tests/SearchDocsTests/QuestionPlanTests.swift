import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// What the question ranker keeps of a question: question and function words go, except where
/// removing them would leave a character alone (a name ICU's dictionary lacks, split into
/// single characters).
final class QuestionPlanTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var index: SearchIndex!

    override func setUpWithError() throws {
        folder = try TemporaryFolder(prefix: "question-plan")
        let docs = [
            "xiangchong": "向宠，襄阳宜城人，三国时蜀汉将领。诸葛亮在《出师表》中推荐向宠。",
            "chanNa": "禅那是佛教术语，意译为静虑，在佛经中专指四种色界定。",
            "blue": "毕卡索的蓝色时期是他以单色作画的时期，人们常提起这个时期。",
            "policy": "北京市对参保企业提供了社会保险费减免的优惠政策。",
            "roads": "交通运输部2月3日印发通知，不得采取封闭高速公路等措施。",
        ]
        index = try TestCorpus.small(docs, in: folder)
    }

    override func tearDown() { folder?.remove() }

    private func pairs(_ question: String) throws -> Set<String> {
        let plan = try QuestionRanker(index: index).plan(question)
        return Set(plan.pairs.map { k in
            String(Unicode.Scalar(UInt32(k >> 32))!) + String(Unicode.Scalar(UInt32(k & 0xFFFF_FFFF))!)
        })
    }

    func testAOneCharacterStopWordNextToALoneCharacterStays() throws {
        // ICU: 向|宠|是|什么|时期|的|人 and 禅|那|在|佛经|中|指|什么; 向, 是, 那, 在 are stop words.
        XCTAssertTrue(try pairs("向宠是什么时期的人？").isSuperset(of: ["向宠", "时期"]))
        XCTAssertTrue(try pairs("禅那在佛经中指什么？").contains("禅那"))
    }

    func testStopWordsBetweenWordsStillGo() throws {
        // 对 stands between 北京市 and 参保: neither is alone, so it goes.
        let p = try pairs("北京市对参保企业提供了哪些优惠政策？")
        XCTAssertFalse(p.contains("市对"))
        XCTAssertFalse(p.contains("对参"))
        XCTAssertTrue(p.contains("参保"))
    }

    func testTheNameFindsItsDocumentFirst() throws {
        var options = SearchOptions()
        options.literal = true
        XCTAssertEqual(try index.search("向宠是什么时期的人？", options: options).hits.first?.path, "xiangchong")
        XCTAssertEqual(try index.search("禅那在佛经中指什么？", options: options).hits.first?.path, "chanNa")
    }

    func testNoPairJoinsADigitToTheHanCharacterBesideIt() throws {
        // The index holds 2月3日 as ⟨b⟩2⟨b⟩月⟨b⟩3⟨b⟩日: a pair such as 2月 or 月3 occurs in no
        // document, and would only raise the share of the question a document must hold.
        let p = try pairs("截至到2020年2月3号，对高速公路采取的措施?")
        XCTAssertTrue(p.isSuperset(of: ["20", "02", "高速", "公路", "截至"]))
        XCTAssertTrue(p.isDisjoint(with: ["到2", "0年", "年2", "2月", "月3", "3号"]))
        let plan = try QuestionRanker(index: index).plan("截至到2020年2月3号，对高速公路采取的措施?")
        for k in plan.pairs {
            let ab = [UInt32(k >> 32), UInt32(k & 0xFFFF_FFFF)]
            XCTAssertFalse(ab.contains { $0 < 0x80 } && ab.contains { $0 >= 0x4E00 }, "a pair of a digit and a Han character")
        }
        var options = SearchOptions()
        options.literal = true
        XCTAssertEqual(try index.search("截至到2020年2月3号，对高速公路采取的措施?", options: options).hits.first?.path, "roads")
    }

    /// The page on 丘 and four others, 人口 in four of the five.
    private static let surnameDocuments = [
        "qiu": "丘是一个中文姓氏，丘（邱）姓在百家姓中排第151位，人口约四百六十七万。",
        "zhang": "村里的张姓人家很多，世代务农。",
        "census": "全市常住人口约一千万，人口密度较高。",
        "city": "该市人口增长较快，外来人口占三成。",
        "county": "全县人口约四十万。",
    ]

    func testAOneCharacterNameCountsTowardsTheShareADocumentMustHold() throws {
        // 丘姓人口大约是多少？ keeps the pairs 丘姓 and 姓人 (人口 is in most documents); the page on
        // 丘 has neither, only the words 丘, 姓 and 人口. Weighed with the pairs, they let it match.
        let folder = try TemporaryFolder(prefix: "question-words")
        defer { folder.remove() }
        let index = try TestCorpus.small(QuestionPlanTests.surnameDocuments, in: folder)
        let plan = try QuestionRanker(index: index).plan("丘姓人口大约是多少？")
        XCTAssertTrue(plan.words.contains("丘"))
        var options = SearchOptions()
        options.literal = true
        let results = try index.search("丘姓人口大约是多少？", options: options)
        XCTAssertTrue(results.hits.contains { $0.path == "qiu" }, "\(results.hits.map(\.path))")
    }

    func testTheExplanationAddsUpToTheScore() throws {
        let question = "诸葛亮在出师表中推荐了谁？"
        for coveragePower in [0.0, 1.0] {
            var parameters = QuestionRanking()
            parameters.coveragePower = coveragePower
            let (hits, _, parts) = try QuestionRanker(index: index, parameters: parameters).rank(question, explain: true)
            var checked = 0
            for (si, segment) in hits.enumerated() {
                for h in segment {
                    let made = try XCTUnwrap(parts[QuestionRanker.key(segment: si, doc: h.doc)])
                    XCTAssertEqual(made.total, h.score, "added up in the ranker's order, the same number")
                    XCTAssertGreaterThan(made.pairs, 0)
                    checked += 1
                }
            }
            XCTAssertGreaterThan(checked, 0)
            XCTAssertTrue(try QuestionRanker(index: index, parameters: parameters).rank(question).parts.isEmpty)
        }
        var options = SearchOptions()
        options.literal = true
        options.explain = true
        let first = try XCTUnwrap(try index.search(question, options: options).hits.first)
        XCTAssertEqual(first.path, "xiangchong")
        XCTAssertTrue(first.explanation.joined().contains(" = pairs "), "\(first.explanation)")
        XCTAssertTrue(first.explanation.joined().contains(" + best passage "), "\(first.explanation)")
    }

    func testAWordInMoreThanHalfOfTheDocumentsIsNotScoredButStillHighlighted() throws {
        // 人口 is in four of the five documents: like a pair that common, it weighs little and its
        // list is long, so it is left out of the scoring (while pairs of the question occur).
        let folder = try TemporaryFolder(prefix: "question-common-words")
        defer { folder.remove() }
        let index = try TestCorpus.small(QuestionPlanTests.surnameDocuments, in: folder)
        let question = "丘姓人口大约是多少？"
        XCTAssertEqual(try QuestionRanker(index: index).rank(question).plan.commonWords, ["人口"])
        var every = QuestionRanking()
        every.commonWordShare = 1
        XCTAssertEqual(try QuestionRanker(index: index, parameters: every).rank(question).plan.commonWords, [])

        var options = SearchOptions()
        options.literal = true
        options.explain = true
        let results = try index.search(question, options: options)
        let qiu = try XCTUnwrap(results.hits.first { $0.path == "qiu" }, "\(results.hits.map(\.path))")
        let highlighted = qiu.snippets.flatMap { s in s.highlights.map { String(s.text[$0.range]) } }
        XCTAssertTrue(highlighted.contains("人口"), "\(highlighted)")
        XCTAssertTrue(qiu.explanation.joined().contains("of which 人口 too common to score"), "\(qiu.explanation)")
    }
}
