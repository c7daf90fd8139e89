import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// The title-beginning feature of the question ranker: an article whose title starts with what
/// the question asks about comes before one whose title names it inside a longer name.
final class QuestionLeadTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var index: SearchIndex!

    override func setUpWithError() throws {
        folder = try TemporaryFolder(prefix: "question-lead")
        let docs = [
            // Articles on species, which name it inside longer names.
            "species1": "异齿前肛鳗，通鳃鳗科，分布于印度西太平洋海域。",
            "species2": "高氏前肛鳗，通鳃鳗科，分布于西太平洋海域。",
            "genus": "前肛鳗，通鳃鳗科，分布于全球各大洋的热带海域。",
            // Other documents, so that the question's pairs are not common to most of the index.
            "rail": "大莱龙铁路是山东省的一条地方铁路，连接大家洼与龙口，全长一百七十五公里。",
            "satellite": "鑫诺卫星通信有限公司成立于一九九四年，总部位于北京，是卫星运营商之一。",
            "river": "雅芳河发源于格洛斯特郡，流经巴斯，在布里斯托注入塞文河口。",
            "bus": "九龙巴士八十六线是香港的一条巴士路线，来往美孚与马鞍山。",
            "station": "北土城站是北京地铁八号线与十号线的换乘车站，位于北土城东路。",
            "fish": "红钻鱼又称大口滨鲷，为鲈形目笛鲷科的其中一个种，分布于印度太平洋区。",
        ]
        index = try TestCorpus.small(docs, in: folder)
    }

    override func tearDown() { folder?.remove() }

    private func ranking(_ question: String, leadWeight: Double) throws -> [String] {
        var options = SearchOptions()
        options.literal = true
        options.questionRanking.leadWeight = leadWeight
        return try index.search(question, options: options).hits.map(\.path)
    }

    func testTheArticleWhoseTitleBeginsWithTheSubjectComesFirst() throws {
        let without = try ranking("前肛鳗属于什么科？", leadWeight: 0)
        let with = try ranking("前肛鳗属于什么科？", leadWeight: QuestionRanking().leadWeight)
        XCTAssertEqual(Set(without), ["species1", "species2", "genus"])
        XCTAssertNotEqual(without.first, "genus", "the species articles lead on the other evidence")
        XCTAssertEqual(with.first, "genus")
        XCTAssertEqual(Set(with), Set(without), "the feature reorders, it does not change which documents match")
    }
}
