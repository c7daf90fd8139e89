/// Words that carry no topic in a question: function words and question words (什么, 哪些,
/// 如何, 有何 …). They neither match nor score when a question is ranked by its content.
/// Written by hand from Chinese grammar, not derived from any evaluation data.
enum StopWords {
    /// Function words and question words.
    static let words: Set<String> = [
        "的", "了", "是", "在", "和", "与", "及", "或", "等", "对", "有", "为", "被", "把", "将", "从", "向",
        "也", "都", "就", "而", "并", "又", "其", "之", "这", "那", "这些", "那些", "这个", "那个", "吗", "呢",
        "吧", "啊", "么", "哪", "谁", "何", "什么", "哪些", "哪个", "如何", "怎么", "怎样", "怎么样", "多少",
        "为什么", "是否", "有何", "有哪些", "请问", "可以", "能否", "能", "会", "要", "需要", "对于", "关于",
        "一个", "我", "我们", "你", "你们", "他", "她", "它", "他们", "哪里", "几", "吗?", "the", "a", "an", "of",
        "and", "or", "to", "in", "is", "what", "how",
    ]

    /// Whether a normalized word is a stop word.
    static func contains(_ word: String) -> Bool { words.contains(word) }
}
