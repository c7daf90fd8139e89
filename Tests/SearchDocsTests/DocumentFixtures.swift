import Foundation
import XCTest
@testable import SearchDocs
import TestSupport

/// The seed page and the forms it is stored in for the document-layer tests.
enum DocumentFixtures {
    static let seedTitle = "民乐县科学技术局2024年度上半年工作总结及下半年工作计划"

    /// The seed document's text (UTF-8), or nil after skipping when shared data is missing.
    static func seedText(file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        guard let url = try SharedData.require("seed/000_cc14a950d0b6b316.txt", file: file, line: line) else { return nil }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The seed's body paragraphs: the non-empty lines after the metadata block.
    static func bodyParagraphs(of seed: String) -> [String] {
        let lines = seed.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let dateLine = lines.firstIndex(where: { $0.hasPrefix("生成日期") }) else { return [] }
        return lines[(dateLine + 1)...].filter { !$0.isEmpty }
    }

    /// The seed from its title on (without the banner and breadcrumb), white space collapsed.
    static func seedMainText(of seed: String) -> String {
        guard let range = seed.range(of: seedTitle) else { return "" }
        return collapsed(String(seed[range.lowerBound...]))
    }

    /// White space runs (including tabs and line breaks) as one space, trimmed.
    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The seed as a county government page lays it out: table layout (no nav/footer/main tags),
    /// a link bar banner, a menu row, a side menu, a text breadcrumb, the metadata table, the body,
    /// page tools and a footer. `charsetMeta` is the `<meta>` that declares the charset.
    static func countyPage(seed: String, charsetMeta: String = #"<meta charset="gbk">"#,
                           labelSuffix: String = "") -> String {
        let paragraphs = bodyParagraphs(of: seed).map { paragraph -> String in
            let escaped = paragraph.replacingOccurrences(of: "&", with: "&amp;")
                .replacingOccurrences(of: "<", with: "&lt;")
            if paragraph.count < 20 { return "<p style=\"text-indent:2em\"><strong>\(escaped)</strong></p>" }
            return "<p style=\"text-indent:2em\">\(escaped)</p>"
        }.joined(separator: "\n")
        let l = labelSuffix
        return """
        <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
        <html xmlns="http://www.w3.org/1999/xhtml">
        <head>
        \(charsetMeta)
        <title>\(seedTitle)_民乐县人民政府</title>
        <meta name="keywords" content="民乐县,政府信息公开" />
        <link href="/css/style.css" rel="stylesheet" type="text/css" />
        <script type="text/javascript" src="/js/jquery.min.js"></script>
        <script type="text/javascript">
          var crumb = "<p>当前位置</p>"; if (a < b && b > c) { document.write("<div>不是正文</div>"); }
        </script>
        <style type="text/css">
          body { margin: 0; font-size: 12px; } .bt { font-size: 22px; color: #c00; }
        </style>
        </head>
        <body>
        <!-- 头部 开始 -->
        <table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
          <tr>
            <td class="topbar_left"><a href="javascript:void(0)">网站支持IPV6</a> | <a href="/wza/">无障碍阅读</a> | <a href="/lhb/">适老化模式</a></td>
            <td align="right"><span id="today">今天是：2024年7月24日 星期三</span></td>
          </tr>
        </table>
        <table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
          <tr><td><img src="/images/banner.jpg" width="1000" height="160" alt="民乐县人民政府" /></td></tr>
        </table>
        <table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="dh">
          <tr>
            <td><a href="/">首页</a></td><td><a href="/zwgk/">政务公开</a></td><td><a href="/zwfw/">政务服务</a></td>
            <td><a href="/hdjl/">互动交流</a></td><td><a href="/zjml/">走进民乐</a></td><td><a href="/ztzl/">专题专栏</a></td>
          </tr>
        </table>
        <!-- 头部 结束 -->
        <table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
          <tr>
            <td width="230" valign="top">
              <table width="100%" border="0" cellspacing="0" cellpadding="0">
                <tr><td class="left_bt">政府信息公开</td></tr>
                <tr><td height="30"><a href="/xxgk/zn/">政府信息公开指南</a></td></tr>
                <tr><td height="30"><a href="/xxgk/zd/">政府信息公开制度</a></td></tr>
                <tr><td height="30"><a href="/xxgk/fdzdgknr/">法定主动公开内容</a></td></tr>
                <tr><td height="30"><a href="/xxgk/nb/">政府信息公开年报</a></td></tr>
              </table>
            </td>
            <td width="20"></td>
            <td width="750" valign="top">
              <table width="100%" border="0" cellspacing="0" cellpadding="0">
                <tr><td height="35">当前位置：<a href="/">首页</a>&gt;&gt;<a href="/zwgk/">政府信息公开</a>&gt;&gt;<a href="/xxgk/fdzdgknr/">法定主动公开内容</a>&gt;&gt;<a href="/xxgk/qtfdxx/">其他法定信息</a>&gt;&gt;<a href="/xxgk/kjcx/">科技创新</a></td></tr>
              </table>
              <table width="100%" border="0" cellspacing="0" cellpadding="0">
                <tr><td align="center" height="60" class="bt">\(seedTitle)</td></tr>
              </table>
              <table width="100%" border="1" cellspacing="0" cellpadding="0" class="xxgk_table">
                <tr><td width="15%">索引号\(l)</td><td width="35%">620722024/2024-00036</td><td width="15%">发文字号\(l)</td><td width="35%"></td></tr>
                <tr><td>关键词\(l)</td><td></td><td>发布机构\(l)</td><td>民乐县科技局</td></tr>
                <tr><td>公开形式\(l)</td><td>主动公开</td><td>责任部门\(l)</td><td>民乐县科技局</td></tr>
                <tr><td>生成日期\(l)</td><td>2024-07-24 17:08:31</td><td>是否有效\(l)</td><td>&nbsp;</td></tr>
              </table>
              <table width="100%" border="0" cellspacing="0" cellpadding="0">
                <tr><td class="content"><div id="zoom">
        \(paragraphs)
                </div></td></tr>
                <tr><td align="right" height="40">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
              </table>
            </td>
          </tr>
        </table>
        <table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="bottom">
          <tr><td align="center"><a href="/lxwm/">联系我们</a> | <a href="/wzdt/">网站地图</a> | <a href="/syzn/">使用帮助</a></td></tr>
          <tr><td align="center">
            主办单位：民乐县人民政府办公室&nbsp;&nbsp;承办单位：民乐县融媒体中心<br />
            地址：甘肃省张掖市民乐县洪水镇&nbsp;&nbsp;邮编：734500&nbsp;&nbsp;联系电话：0936-4421234<br />
            网站标识码：6207220001&nbsp;&nbsp;<a href="https://beian.miit.gov.cn/" target="_blank">陇ICP备05000338号</a>&nbsp;&nbsp;<img src="/images/gaba.png" />甘公网安备 62072202000101号<br />
            版权所有：民乐县人民政府&nbsp;&nbsp;建议使用1280×768分辨率浏览
          </td></tr>
        </table>
        </body>
        </html>
        """
    }

    /// Furniture of `countyPage` that must not reach the extracted text.
    static let countyFurniture = [
        "网站支持IPV6", "无障碍", "适老化", "今天是", "政务服务", "互动交流", "走进民乐", "专题专栏", "政府信息公开指南",
        "信息公开年报", "当前位置", "首页", "科技创新", "打印本页", "关闭窗口", "联系我们", "网站地图", "主办单位",
        "承办单位", "地址", "邮编", "网站标识码", "ICP备", "公网安备", "版权所有", "分辨率", "不是正文", "font-size",
        "jquery", "_民乐县人民政府",
    ]

    /// `text` encoded in `charset` with ICU (strict).
    static func encode(_ text: String, _ charset: String, file: StaticString = #filePath, line: UInt = #line) throws -> [UInt8] {
        switch CharsetConverter.encode(text, charset: charset) {
        case .success(let bytes): return bytes
        case .failure(let failure):
            XCTFail("cannot encode in \(charset): \(failure)", file: file, line: line)
            throw failure
        }
    }
}
