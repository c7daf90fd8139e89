import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

final class HTMLTextExtractorTests: XCTestCase {
    func testCountyPageGivesTheSeedsMainText() throws {
        guard let seed = try DocumentFixtures.seedText() else { return }
        let page = HTMLTextExtractor.text(of: DocumentFixtures.countyPage(seed: seed))
        XCTAssertEqual(page.title, DocumentFixtures.seedTitle)
        XCTAssertEqual(DocumentFixtures.collapsed(page.text), DocumentFixtures.seedMainText(of: seed))
        for furniture in DocumentFixtures.countyFurniture where !seed.contains(furniture) {
            XCTAssertFalse(page.text.contains(furniture), "\(furniture) reached the text")
        }
        // Table cells are separated by tabs, rows end lines: the metadata table reads like the text form.
        XCTAssertTrue(page.text.contains("索引号\t620722024/2024-00036\t发文字号\n"), page.text)
    }

    func testModernLayoutWithListsAndClassNames() {
        let html = """
            <!doctype html><html><head><meta charset="utf-8"><title>关于开展2024年科技活动周的通知 - 政府信息公开 - 张掖市人民政府网</title></head>
            <body>
            <div class="header"><div class="logo"><h1>张掖市人民政府</h1></div>
              <ul class="nav"><li><a href="/">首页</a></li><li><a href="/a">要闻动态</a></li><li><a href="/b">政务公开</a></li><li><a href="/c">政务服务</a></li></ul>
            </div>
            <div class="crumb"><span>您的位置：</span><a href="/">首页</a> &gt; <a href="/xxgk">政府信息公开</a> &gt; <span>通知公告</span></div>
            <div class="main">
              <div class="left">
                <h3>热点专题</h3>
                <ul><li><a href="/t1">优化营商环境</a></li><li><a href="/t2">乡村振兴</a></li><li><a href="/t3">安全生产</a></li></ul>
              </div>
              <div class="article">
                <h2 class="article-title">关于开展2024年科技活动周的通知</h2>
                <div class="info">发布时间：2024-05-10&nbsp;&nbsp;来源：张掖市科学技术局</div>
                <div class="content">
                  <p>各县区科技局：</p>
                  <p>为深入实施创新驱动发展战略，经研究，决定于5月下旬开展2024年科技活动周。</p>
                  <p>附件：<a href="/files/1.doc">活动安排表</a></p>
                </div>
                <div class="share">分享到：<a>微信</a><a>微博</a></div>
                <div class="prev-next"><p>上一篇：<a href="/p">关于公布2023年度市级科技计划项目的通知</a></p></div>
              </div>
            </div>
            <div class="footer"><p>主办：张掖市人民政府办公室 承办：张掖市政务服务中心</p><p>Copyright © 2024 All Rights Reserved. 甘ICP备05000123号</p></div>
            </body></html>
            """
        let page = HTMLTextExtractor.text(of: html)
        XCTAssertEqual(page.title, "关于开展2024年科技活动周的通知")
        let lines = page.text.components(separatedBy: "\n")
        XCTAssertEqual(lines.first, "关于开展2024年科技活动周的通知")
        XCTAssertTrue(lines.contains("为深入实施创新驱动发展战略，经研究，决定于5月下旬开展2024年科技活动周。"), page.text)
        XCTAssertTrue(page.text.contains("附件：活动安排表"), page.text)
        XCTAssertTrue(page.text.contains("发布时间：2024-05-10 来源：张掖市科学技术局"), page.text)
        for furniture in ["张掖市人民政府", "要闻动态", "您的位置", "热点专题", "乡村振兴", "分享到", "上一篇", "主办", "ICP备", "Copyright"] {
            XCTAssertFalse(page.text.contains(furniture), "\(furniture) reached the text: \(page.text)")
        }
    }

    func testBodyLinesWithFurnitureWordsStay() {
        let lines = [
            "一、无障碍环境建设", "为中小企业提供技术支持。", "今天是中华人民共和国成立75周年。", "登录网站首页《通知公告》栏目查看",
            "主办单位：民乐县科学技术局", "显示器分辨率不低于1920×1080", "IPv6规模部署和应用", "首页设计方案",
        ]
        let html = "<div class=\"content\">" + lines.map { "<p>\($0)</p>" }.joined() + "<p><a href=\"a.doc\">附件1：申报表</a></p></div>"
        XCTAssertEqual(HTMLTextExtractor.text(of: html).text, (lines + ["附件1：申报表"]).joined(separator: "\n"))
        // Breadcrumbs without a prefix.
        for crumb in ["首页 > 政务公开 > 通知公告", "首页>>信息公开", "首页 / 政府信息公开 / 法定主动公开内容", "您现在的位置：新闻中心"] {
            XCTAssertEqual(HTMLTextExtractor.text(of: "<div>\(crumb)</div><p>正文。</p>").text, "正文。", crumb)
        }
    }

    func testHeadingThatIsTheSiteNameIsNotTheTitle() {
        let html = """
            <html><head><title>民乐县2024年优化营商环境工作方案_民乐县人民政府</title></head><body>
            <h1><a href="/"><img src="logo.png" alt="">民乐县人民政府</a></h1>
            <table><tr><td class="title"><strong>民乐县2024年优化营商环境工作方案</strong></td></tr>
            <tr><td>为持续优化营商环境，制定本方案。</td></tr></table>
            </body></html>
            """
        XCTAssertEqual(HTMLTextExtractor.text(of: html).title, "民乐县2024年优化营商环境工作方案")
    }

    func testTitleOnlyInTitleElement() {
        let html = "<html><head><title>关于调整最低工资标准的通知_甘肃省人民政府</title></head><body><p>各市州人民政府：现将有关事项通知如下。</p></body></html>"
        let page = HTMLTextExtractor.text(of: html)
        XCTAssertEqual(page.title, "关于调整最低工资标准的通知")
        XCTAssertEqual(page.text, "各市州人民政府：现将有关事项通知如下。")
        XCTAssertNil(HTMLTextExtractor.text(of: "<p>只有正文。</p>").title)
    }

    func testPageTitleSuffixes() {
        let cases: [(String, String)] = [
            ("民乐县科学技术局2024年度上半年工作总结及下半年工作计划_民乐县人民政府", "民乐县科学技术局2024年度上半年工作总结及下半年工作计划"),
            ("关于开展2024年科技活动周的通知 - 政府信息公开 - 张掖市人民政府网", "关于开展2024年科技活动周的通知"),
            ("甘肃省“十四五”科技创新规划|甘肃省科学技术厅", "甘肃省“十四五”科技创新规划"),
            ("民乐县数字经济发展行动方案（2022-2025年）-民乐县人民政府", "民乐县数字经济发展行动方案（2022-2025年）"),
            ("2022-2025年行动方案", "2022-2025年行动方案"),
            ("张掖市人民政府_关于做好2024年春耕生产工作的通知", "关于做好2024年春耕生产工作的通知"),
            ("  标题  ", "标题"),
        ]
        for (raw, expected) in cases {
            XCTAssertEqual(HTMLTextExtractor.cleanPageTitle(raw).title, expected, raw)
        }
    }

    func testScriptsStylesCommentsAndHiddenContentAreRemoved() {
        let html = """
            <p>甲<script>var x = "<p>乙</p>"; if (a<b) {}</script>丙</p>
            <style>p { color: red }</style><noscript>请启用脚本</noscript>
            <!-- 注释 <p>丁</p> --><p>戊</p>
            <div style="display: none">隐藏</div><div hidden>也隐藏</div><template><p>模板</p></template>
            <SCRIPT type="text/javascript">document.write("己")</SCRIPT ><p>庚</p>
            """
        XCTAssertEqual(HTMLTextExtractor.text(of: html).text, "甲丙\n戊\n庚")
    }

    func testEntities() {
        let html = "<p>&lt;p&gt; &amp; A&nbsp;B &#20013;&#x6587; &#X6587; &ldquo;引号&rdquo; &bogus; AT&amp;T &amp &lt3 &#0; &#x110000;</p>"
        XCTAssertEqual(HTMLTextExtractor.text(of: html).text, "<p> & A B 中文 文 “引号” &bogus; AT&T & <3")
        XCTAssertEqual(HTMLEntities.decode(Array("&#8212;&#150;&mdash;&copy;&middot;&hellip;".utf8)[...]), "—–—©·…")
    }

    func testBlockElementsEndLinesAndWhitespaceCollapses() {
        let html = """
            <div>第一行<br>第二行</div><p>段落
               继续</p><p>English
            words</p><ul><li>一</li><li>二<li>三</ul><pre>  保留
              空格</pre><h2>标题</h2>结尾
            """
        XCTAssertEqual(HTMLTextExtractor.text(of: html).text, "第一行\n第二行\n段落继续\nEnglish words\n一\n二\n三\n保留\n空格\n标题\n结尾")
    }

    func testBrokenMarkupStillGivesText() {
        let cases: [(String, String)] = [
            ("<p>未闭合段落<p>第二段<div>块<span>行内", "未闭合段落\n第二段\n块行内"),
            ("a < b 且 c > d，x<5", "a < b 且 c > d，x<5"),
            ("<p>正文</p><!-- 未闭合的注释 <p>后面", "正文\n后面"),
            ("<p>正文</p><!-- 未闭合的注释", "正文"),
            ("<p title=\"未闭合引号>正文</p>", "正文"),
            ("<p>正文</p><a href=\"x\"", "正文\n<a href=\"x\""),
            ("</div></p></table>文字<td>单元格</tr>", "文字\t单元格"),
            ("<table><tr><td>甲<td>乙<tr><td>丙</table>", "甲\t乙\n丙"),
            ("<title>没有结束的标题<p>正文</p>", "正文"),
            ("<<<>>>", "<<<>>>"),
            ("<b><i>交错</b></i>标签", "交错标签"),
            ("", ""),
        ]
        for (html, expected) in cases {
            XCTAssertEqual(HTMLTextExtractor.text(of: html).text, expected, html)
        }
    }

    func testRandomMarkupNeverCrashesAndIsFast() {
        let pieces = ["<", ">", "</", "<p>", "</p>", "<div class=\"nav\">", "</div>", "<!--", "-->", "<script>", "</script>",
                      "<td>", "<tr>", "<table>", "<a href='", "'", "\"", "&", "&#", "&#x", ";", "amp", "文字", "当前位置：", "版权所有",
                      "首页", ">>", "\n", " ", "<br/>", "<li>", "<title>", "</title>", "<style>", "<h1>", "=", "索引号"]
        var generator = SplitMix64(seed: 42)
        let start = Date()
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<60, using: &generator)
            let html = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let page = HTMLTextExtractor.text(of: html)
            XCTAssertFalse(page.text.hasPrefix("\n"))
        }
        // Deep nesting and many stray '<' stay linear.
        let deep = String(repeating: "<div><span>", count: 20000) + "深" + String(repeating: "</span></div>", count: 20000)
        XCTAssertEqual(HTMLTextExtractor.text(of: deep).text, "深")
        let stray = String(repeating: "<a", count: 50000)
        XCTAssertEqual(HTMLTextExtractor.text(of: stray).text.count, 100000)
        let comments = String(repeating: "<!-- x ", count: 20000) + "<p>尾</p>"
        _ = HTMLTextExtractor.text(of: comments)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
    }
}
